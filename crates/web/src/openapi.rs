//! The OpenAPI 3.1 document of `/api/v1`, built from the route table and the Rust types.
//!
//! Every API row of `routes::table` carries an [`Op`]: what it is for, the type of its
//! request body and query, and the type of its answer. The schemas come from those types
//! (`utoipa::ToSchema`, derived beside serde, so they cannot drift from what is sent);
//! paths, methods, path parameters and who may call (bearer or not) come from the row
//! itself. A row of `/api/` without an `Op` is a test failure (`every_api_route_is_documented`),
//! and the document has no path that the table does not route.
use crate::routes::{RouteRule, Rule};
use std::collections::BTreeMap;
use utoipa::openapi::path::{
    HttpMethod, Operation, OperationBuilder, Parameter, ParameterBuilder, ParameterIn,
};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{
    ComponentsBuilder, ContentBuilder, InfoBuilder, OpenApi, OpenApiBuilder, PathsBuilder, Ref,
    RefOr, Required, ServerBuilder,
};
use utoipa::{IntoParams, ToSchema};

/// Schemas gathered while building: name → schema.
pub type Schemas = Vec<(String, RefOr<Schema>)>;
/// A type's schema, as a reference, with every schema it needs added to the list.
pub type SchemaFn = fn(&mut Schemas) -> RefOr<Schema>;
/// A query's parameters.
pub type ParamsFn = fn() -> Vec<Parameter>;

/// What the document says of one API route beyond its row: purpose, body, query, answer.
#[derive(Clone, Copy, Debug)]
pub struct Op {
    pub summary: &'static str,
    pub body: Option<SchemaFn>,
    pub query: Option<ParamsFn>,
    /// The status of success.
    pub status: u16,
    /// The body of success (none for 202 and 204).
    pub response: Option<SchemaFn>,
    /// A text type the answer may also be (`text/csv` when asked with `format=csv`),
    /// or is only, when there is no JSON `response` (`text/calendar`).
    pub text: Option<&'static str>,
}

/// An operation answering 200 with no body yet declared (add one with `ok`).
pub fn op(summary: &'static str) -> Op {
    Op {
        summary,
        body: None,
        query: None,
        status: 200,
        response: None,
        text: None,
    }
}

fn component<T: ToSchema>(out: &mut Schemas) -> RefOr<Schema> {
    T::schemas(out);
    out.push((T::name().into_owned(), T::schema()));
    RefOr::Ref(Ref::from_schema_name(T::name()))
}

fn params<T: IntoParams>() -> Vec<Parameter> {
    T::into_params(|| Some(ParameterIn::Query))
}

impl Op {
    /// The JSON request body is a `T`.
    pub fn body<T: ToSchema>(mut self) -> Self {
        self.body = Some(component::<T>);
        self
    }
    /// The query string is a `T`.
    pub fn query<T: IntoParams>(mut self) -> Self {
        self.query = Some(params::<T>);
        self
    }
    /// 200 with a `T`.
    pub fn ok<T: ToSchema>(mut self) -> Self {
        self.status = 200;
        self.response = Some(component::<T>);
        self
    }
    /// 201 with a `T`.
    pub fn created<T: ToSchema>(mut self) -> Self {
        self.status = 201;
        self.response = Some(component::<T>);
        self
    }
    /// 202, nothing in the body.
    pub fn accepted(mut self) -> Self {
        self.status = 202;
        self.response = None;
        self
    }
    /// 204, nothing in the body.
    pub fn no_content(mut self) -> Self {
        self.status = 204;
        self.response = None;
        self
    }
    /// The answer can be asked for as CSV too.
    pub fn or_csv(mut self) -> Self {
        self.text = Some("text/csv");
        self
    }
    /// 200 with a file (its own type) and no JSON.
    pub fn or_file(mut self) -> Self {
        self.status = 200;
        self.response = None;
        self.text = Some("application/octet-stream");
        self
    }
    /// 200 with an iCalendar file (RFC 5545) and no JSON.
    pub fn or_calendar(mut self) -> Self {
        self.status = 200;
        self.response = None;
        self.text = Some("text/calendar");
        self
    }
}

/// Every error: a code for programs, a message for people (in the caller's language),
/// and the fields it concerns, each with its own code and message.
#[derive(Debug, serde::Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, serde::Serialize, ToSchema)]
pub struct ErrorDetail {
    /// `invalid_input`, `unauthorized`, `forbidden`, `not_found`, `conflict`,
    /// `rate_limited`, …
    pub code: &'static str,
    pub message: String,
    /// By field name (a path such as `basic.name` for nested bodies).
    pub fields: BTreeMap<String, FieldProblem>,
}

/// What is wrong with one field.
#[derive(Debug, Clone, serde::Serialize, ToSchema)]
pub struct FieldProblem {
    pub code: &'static str,
    pub message: String,
}

fn method(m: &str) -> Option<HttpMethod> {
    Some(match m {
        "GET" => HttpMethod::Get,
        "POST" => HttpMethod::Post,
        "PUT" => HttpMethod::Put,
        "DELETE" => HttpMethod::Delete,
        "PATCH" => HttpMethod::Patch,
        _ => return None,
    })
}

fn operation_id(method: &str, path: &str) -> String {
    let mut id = method.to_ascii_lowercase();
    for part in path.trim_start_matches("/api/").split('/') {
        id.push('_');
        id.extend(part.chars().map(|c| match c {
            '{' | '}' => '_',
            c if c.is_ascii_alphanumeric() => c,
            _ => '_',
        }));
    }
    id.replace("__", "_").trim_end_matches('_').to_owned()
}

fn status_text(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        202 => "Accepted: nothing more is said (so that nothing is revealed)",
        204 => "Done",
        _ => "Answer",
    }
}

fn operation(rule: &RouteRule, op: &Op, schemas: &mut Schemas) -> Operation {
    let tag = rule
        .path
        .trim_start_matches("/api/v1/")
        .trim_start_matches("/api/")
        .split('/')
        .next()
        .unwrap_or("api");
    let mut b = OperationBuilder::new()
        .operation_id(Some(operation_id(rule.method, rule.path)))
        .summary(Some(op.summary))
        .tag(tag);
    for name in rule
        .path
        .split('/')
        .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
    {
        b = b.parameter(
            ParameterBuilder::new()
                .name(name)
                .parameter_in(ParameterIn::Path)
                .required(Required::True)
                .schema(Some(
                    ObjectBuilder::new()
                        .schema_type(Type::String)
                        .min_length(Some(1))
                        .max_length(Some(64)),
                )),
        );
    }
    if let Some(q) = op.query {
        b = b.parameters(Some(q()));
    }
    if let Some(body) = op.body {
        b = b.request_body(Some(
            RequestBodyBuilder::new()
                .required(Some(Required::True))
                .content(
                    "application/json",
                    ContentBuilder::new().schema(Some(body(schemas))).build(),
                )
                .build(),
        ));
    }
    if rule.rule != Rule::Public {
        b = b.security(SecurityRequirement::new("bearer", Vec::<String>::new()));
    }
    let mut ok = ResponseBuilder::new().description(status_text(op.status));
    if let Some(resp) = op.response {
        ok = ok.content(
            "application/json",
            ContentBuilder::new().schema(Some(resp(schemas))).build(),
        );
    }
    if let Some(text) = op.text {
        ok = ok.content(
            text,
            ContentBuilder::new()
                .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
                .build(),
        );
    }
    let error = ResponseBuilder::new()
        .description("An error (the status says which kind); `Retry-After` on 429")
        .content(
            "application/json",
            ContentBuilder::new()
                .schema(Some(component::<ErrorBody>(schemas)))
                .build(),
        );
    b.response(op.status.to_string(), ok.build())
        .response("default", error.build())
        .build()
}

/// Every operation of the rows, and every schema they name (in the order met; a name
/// may repeat, with the same schema).
fn collect(rows: &[RouteRule]) -> (Schemas, utoipa::openapi::Paths) {
    let mut schemas = Schemas::new();
    let mut paths = PathsBuilder::new().build();
    for r in rows {
        let (Some(op), Some(m)) = (r.doc.as_ref(), method(r.method)) else {
            continue;
        };
        let operation = operation(r, op, &mut schemas);
        paths.add_path_operation(r.path, vec![m], operation);
    }
    (schemas, paths)
}

/// Component names two different types share: the document keeps one of them, and the
/// other type's values would be checked against the wrong schema (a request state once
/// replaced the postings' `Status`).
pub fn schema_clashes(rows: &[RouteRule]) -> Vec<String> {
    let (schemas, _) = collect(rows);
    let mut first: std::collections::BTreeMap<String, String> = Default::default();
    let mut clashes = std::collections::BTreeSet::new();
    for (name, schema) in schemas {
        let text = serde_json::to_string(&schema).unwrap_or_default();
        match first.get(&name) {
            Some(t) if *t != text => {
                clashes.insert(name);
            }
            Some(_) => {}
            None => {
                first.insert(name, text);
            }
        }
    }
    clashes.into_iter().collect()
}

/// The document for these routes (the table's API rows with an `Op`).
pub fn document(rows: &[RouteRule], public_url: &str) -> OpenApi {
    let (schemas, paths) = collect(rows);
    let mut components = ComponentsBuilder::new().security_scheme(
        "bearer",
        SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
    );
    let mut seen = std::collections::BTreeSet::new();
    for (name, schema) in schemas {
        if seen.insert(name.clone()) {
            components = components.schema(name, schema);
        }
    }
    OpenApiBuilder::new()
        .info(
            InfoBuilder::new()
                .title("Tsunagu API")
                .version(env!("CARGO_PKG_VERSION"))
                .description(Some(
                    "Employment matching and job-retention support. Sign in with \
                     POST /api/v1/auth/login and send the token as `Authorization: Bearer …`. \
                     Bodies are read strictly: an unknown field is refused (422 naming it). \
                     Errors are `{\"error\": {\"code\", \"message\", \"fields\"}}`.",
                ))
                .build(),
        )
        .servers(Some([ServerBuilder::new().url(public_url).build()]))
        .paths(paths)
        .components(Some(components.build()))
        .build()
}

// ------------------------------------------------------------------ shapes serde cannot describe

use domain::string_enum_schema as list_schema;

list_schema!(
    ReportReason,
    domain::jobs::REPORT_REASONS.iter().copied(),
    "Why a job is reported."
);
list_schema!(
    ReturnReason,
    domain::jobs::RETURN_REASONS.iter().copied(),
    "Why the operator returns a posting."
);
list_schema!(
    ScoutSection,
    domain::disclosure::SCOUT_SECTIONS
        .iter()
        .map(|i| i.as_str()),
    "A part of the profile a scouting company may see."
);
list_schema!(
    FamilyCategory,
    store::profiles::FAMILY_CATEGORIES.iter().copied(),
    "What a family member may be shown."
);
list_schema!(
    InterviewAccommodation,
    domain::interview::ACCOMMODATIONS.iter().copied(),
    "What a company provides at an interview."
);
list_schema!(
    PostingEmployment,
    domain::jobs::POSTING_EMPLOYMENT.iter().copied(),
    "How a job employs."
);
list_schema!(
    InviteKind,
    ["family", "member"],
    "Whom the invitation makes the invitee: a family member of the seeker, or a member of the caller's organisation."
);
list_schema!(
    SearchSort,
    ["relevance", "new", "wage"],
    "The order of results."
);
list_schema!(
    RemoteOnly,
    ["1", "true", "on"],
    "Only jobs that can be done from home (leave out for all)."
);

/// This document.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ApiDocument {
    /// `3.1.0`.
    openapi: String,
    #[schema(value_type = Object)]
    info: serde_json::Value,
    #[schema(value_type = Object)]
    paths: serde_json::Value,
    #[schema(value_type = Object)]
    components: serde_json::Value,
}

/// A seeker as the caller may see them: `items` names what the view holds, and only
/// those properties are present (the disclosure policy decides, per viewer).
#[derive(ToSchema)]
#[allow(dead_code)]
#[schema(as = SeekerView)]
pub struct SeekerViewSchema {
    seeker_id: String,
    items: Vec<domain::disclosure::PItem>,
    name: Option<String>,
    kana: Option<String>,
    gender: Option<domain::profile::Gender>,
    birth_date: Option<domain::profile::Date>,
    /// Age in years (instead of the birth date, for scouts).
    age: Option<i32>,
    address: Option<AddressView>,
    #[schema(value_type = Option<domain::taxonomy::schema::PrefectureCode>)]
    prefecture: Option<u8>,
    phone: Option<String>,
    email: Option<String>,
    disability_categories: Option<Vec<domain::profile::DisabilityCategory>>,
    certificate: Option<domain::profile::Certificate>,
    disability_description: Option<String>,
    accommodations: Option<domain::profile::Accommodations>,
    traits: Option<String>,
    career: Option<domain::profile::Career>,
    desired: Option<domain::profile::Desired>,
}

/// A full address.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct AddressView {
    #[schema(value_type = Option<domain::taxonomy::schema::PrefectureCode>)]
    prefecture: Option<u8>,
    address: String,
}

/// A posting's form as an employer sends it: every field of a posting, none required
/// (a draft is saved as it is; `problems` in the answer says what stops submission).
/// Numbers may be sent as numbers or as text; lists as arrays.
pub struct PostingDraft;
impl utoipa::PartialSchema for PostingDraft {
    fn schema() -> RefOr<Schema> {
        match domain::jobs::Posting::schema() {
            RefOr::T(Schema::Object(mut o)) => {
                o.required.clear();
                // Only the posting's own fields (any other key is refused, 422 naming it).
                o.additional_properties = Some(Box::new(
                    utoipa::openapi::schema::AdditionalProperties::FreeForm(false),
                ));
                o.description =
                    Some("A posting's form: every field optional while it is a draft.".to_owned());
                RefOr::T(Schema::Object(o))
            }
            other => other,
        }
    }
}
impl ToSchema for PostingDraft {
    fn schemas(out: &mut Schemas) {
        <domain::jobs::Posting as ToSchema>::schemas(out);
    }
}

/// The search's parameters (`GET /api/v1/jobs`, and the query of a saved search).
#[derive(IntoParams)]
#[allow(dead_code)]
#[into_params(parameter_in = Query)]
pub struct JobSearchParams {
    /// Keywords (title, duties, skills, company).
    #[param(max_length = 200)]
    q: Option<String>,
    #[param(inline, value_type = Option<domain::taxonomy::schema::PrefectureCode>)]
    pref: Option<u8>,
    #[param(inline, value_type = Option<domain::taxonomy::schema::JobCategoryCode>)]
    cat: Option<String>,
    #[param(inline, value_type = Option<PostingEmployment>)]
    emp: Option<String>,
    /// Hours a week, at least.
    #[param(minimum = 0, maximum = 60)]
    hours_min: Option<u8>,
    /// Hours a week, at most (not below `hours_min`).
    #[param(minimum = 0, maximum = 60)]
    hours_max: Option<u8>,
    /// Yen per hour, at least (other units compared by their hourly equivalent).
    #[param(minimum = 0, maximum = 100000)]
    wage_min: Option<u32>,
    #[param(inline, value_type = Option<RemoteOnly>)]
    remote: Option<String>,
    /// Accommodations the job must offer (repeat the parameter for several).
    #[param(inline, value_type = Option<Vec<domain::taxonomy::schema::AccommodationCode>>, explode = true)]
    acc: Option<Vec<String>>,
    #[param(inline, value_type = Option<SearchSort>)]
    sort: Option<String>,
    #[param(minimum = 1, maximum = 500)]
    page: Option<u16>,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;
    use serde_json::Value;

    fn doc() -> Value {
        serde_json::to_value(document(crate::routes::rules(), "http://localhost")).unwrap()
    }

    #[test]
    fn no_two_types_share_a_component_name() {
        assert_eq!(schema_clashes(crate::routes::rules()), Vec::<String>::new());
    }

    #[test]
    fn every_api_route_is_documented_and_nothing_else() {
        let rows = crate::routes::rules();
        let d = doc();
        let paths = d["paths"].as_object().unwrap();
        let mut documented = std::collections::BTreeSet::new();
        for (p, item) in paths {
            for m in item.as_object().unwrap().keys() {
                documented.insert((m.to_ascii_uppercase(), p.clone()));
            }
        }
        let routed: std::collections::BTreeSet<_> = rows
            .iter()
            .filter(|r| r.path.starts_with("/api/"))
            .map(|r| (r.method.to_owned(), r.path.to_owned()))
            .collect();
        let missing: Vec<_> = routed.difference(&documented).collect();
        let extra: Vec<_> = documented.difference(&routed).collect();
        assert!(missing.is_empty(), "API routes without an Op: {missing:?}");
        assert!(extra.is_empty(), "documented but not routed: {extra:?}");
        assert_eq!(d["openapi"], "3.1.0");
    }

    /// The scout search's `accommodations` pattern is the accommodation code list.
    #[test]
    fn scout_search_accommodations_pattern_is_the_list() {
        let d = doc();
        let params = d["paths"]["/api/v1/scout-search"]["get"]["parameters"]
            .as_array()
            .unwrap()
            .clone();
        let p = params
            .iter()
            .find(|p| p["name"] == "accommodations")
            .unwrap();
        let alt: Vec<&str> = domain::taxonomy::ACCOMMODATIONS
            .iter()
            .map(|e| e.0)
            .collect();
        let alt = alt.join("|");
        assert_eq!(
            p["schema"]["pattern"],
            format!("^(?:(?:{alt})(?:,(?:{alt}))*)?$")
        );
    }

    /// Every request body and every 2xx answer with a body resolves to a schema with
    /// properties (or items with properties), through `$ref`s.
    #[test]
    fn bodies_have_properties() {
        let d = doc();
        let schemas = d["components"]["schemas"].as_object().unwrap().clone();
        let resolve = |s: &Value| -> Value {
            let mut s = s.clone();
            while let Some(r) = s.get("$ref").and_then(Value::as_str) {
                let name = r.rsplit('/').next().unwrap();
                s = schemas
                    .get(name)
                    .unwrap_or_else(|| panic!("{r} unresolved"))
                    .clone();
            }
            s
        };
        let mut bodies = 0;
        for (p, item) in d["paths"].as_object().unwrap() {
            for (m, o) in item.as_object().unwrap() {
                let mut check = |what: &str, s: &Value| {
                    let s = resolve(s);
                    let props = s.get("properties").and_then(Value::as_object);
                    assert!(
                        props.is_some_and(|p| !p.is_empty()),
                        "{m} {p} {what}: no properties in {s}"
                    );
                    bodies += 1;
                };
                if let Some(s) = o.pointer("/requestBody/content/application~1json/schema") {
                    check("request", s);
                }
                for (status, r) in o["responses"].as_object().unwrap() {
                    if status.starts_with('2') {
                        if let Some(s) = r.pointer("/content/application~1json/schema") {
                            check(status, s);
                        } else {
                            assert!(
                                status == "202"
                                    || status == "204"
                                    || r.pointer("/content/text~1calendar").is_some()
                                    || r.pointer("/content/application~1octet-stream").is_some(),
                                "{m} {p} {status}: no body"
                            );
                        }
                    }
                }
            }
        }
        assert!(bodies > 60, "{bodies} bodies checked");
    }
}
