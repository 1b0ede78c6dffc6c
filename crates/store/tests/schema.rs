//! The two migration folders must produce the same schema, and every `down` must undo
//! its `up`. Runs against SQLite always and PostgreSQL at 127.0.0.1:5432 (or
//! TSUNAGU_TEST_PG_URL); a missing PostgreSQL fails the test loudly unless
//! TSUNAGU_TEST_BACKEND=sqlite-only is set explicitly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use diesel::prelude::*;
use diesel::sql_types::{Integer, Text};
use std::collections::BTreeSet;
use store::db::{self, DbConn};

#[derive(QueryableByName, Debug)]
struct PgCol {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
    #[diesel(sql_type = Text)]
    data_type: String,
    #[diesel(sql_type = Text)]
    is_nullable: String,
}

#[derive(QueryableByName, Debug)]
struct SqliteCol {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    #[diesel(column_name = type_)]
    type_: String,
    #[diesel(sql_type = Integer)]
    notnull: i32,
    #[diesel(sql_type = Integer)]
    pk: i32,
}

#[derive(QueryableByName, Debug)]
struct Name {
    #[diesel(sql_type = Text)]
    name: String,
}

type Schema = BTreeSet<(String, String, String, bool)>;

fn canonical(t: &str) -> String {
    match t.to_ascii_lowercase().as_str() {
        "text" => "text",
        "bigint" => "bigint",
        "integer" => "integer",
        "blob" | "bytea" => "binary",
        "boolean" => "bool",
        other => return other.to_owned(),
    }
    .to_owned()
}

fn schema(conn: &mut DbConn) -> Schema {
    let mut out = Schema::new();
    match conn {
        DbConn::Pg(c) => {
            let cols: Vec<PgCol> = diesel::sql_query(
                "SELECT table_name::text AS table_name, column_name::text AS column_name, data_type::text AS data_type, is_nullable::text AS is_nullable \
                 FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '__diesel_schema_migrations'",
            )
            .load(c)
            .unwrap();
            for col in cols {
                out.insert((
                    col.table_name,
                    col.column_name,
                    canonical(&col.data_type),
                    col.is_nullable == "YES",
                ));
            }
        }
        DbConn::Sqlite(c) => {
            let tables: Vec<Name> = diesel::sql_query(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '__diesel_schema_migrations'",
            )
            .load(c)
            .unwrap();
            for t in tables {
                let cols: Vec<SqliteCol> = diesel::sql_query(format!(
                    "SELECT name, type AS type_, \"notnull\", pk FROM pragma_table_info('{}')",
                    t.name
                ))
                .load(c)
                .unwrap();
                for col in cols {
                    out.insert((
                        t.name.clone(),
                        col.name,
                        canonical(&col.type_),
                        col.notnull == 0 && col.pk == 0,
                    ));
                }
            }
        }
    }
    out
}

fn pg_admin() -> String {
    std::env::var("TSUNAGU_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

fn pg_conn(name: &str) -> Option<DbConn> {
    if std::env::var("TSUNAGU_TEST_BACKEND").as_deref() == Ok("sqlite-only") {
        eprintln!(
            "\n*** PostgreSQL schema comparison NOT run: TSUNAGU_TEST_BACKEND=sqlite-only ***\n"
        );
        return None;
    }
    let admin = pg_admin();
    let _ = db::drop_pg_database(&admin, name);
    db::create_pg_database(&admin, name).unwrap_or_else(|e| {
        panic!("\n\n*** PostgreSQL is NOT reachable at {admin} ({e}); the schema test needs it (set TSUNAGU_TEST_BACKEND=sqlite-only to run without, knowingly).\n\n")
    });
    let base = admin.rsplit_once('/').unwrap().0.to_owned();
    Some(db::establish(&format!("{base}/{name}")).unwrap())
}

#[test]
fn sqlite_and_postgres_migrations_produce_the_same_schema_and_down_undoes_up() {
    let dir = tempfile::tempdir().unwrap();
    let mut lite = db::establish(&dir.path().join("s.sqlite3").to_string_lossy()).unwrap();
    db::run_migrations(&mut lite).unwrap();
    let lite_schema = schema(&mut lite);
    assert!(
        lite_schema
            .iter()
            .any(|(t, c, ty, _)| t == "users" && c == "email_enc" && ty == "binary")
    );
    // Nullable columns are exactly those declared Nullable in schema.rs (spot checks).
    assert!(lite_schema.contains(&("users".into(), "closed_at".into(), "bigint".into(), true)));
    assert!(lite_schema.contains(&("users".into(), "name_enc".into(), "binary".into(), false)));

    db::revert_all(&mut lite).unwrap();
    assert!(
        schema(&mut lite).is_empty(),
        "down migrations leave tables behind on SQLite"
    );
    db::run_migrations(&mut lite).unwrap();
    assert_eq!(
        schema(&mut lite),
        lite_schema,
        "up after down differs on SQLite"
    );

    let name = format!("tsunagu_schema_{}", std::process::id());
    let Some(mut pg) = pg_conn(&name) else { return };
    db::run_migrations(&mut pg).unwrap();
    let pg_schema = schema(&mut pg);
    let only_lite: Vec<_> = lite_schema.difference(&pg_schema).collect();
    let only_pg: Vec<_> = pg_schema.difference(&lite_schema).collect();
    assert!(
        only_lite.is_empty() && only_pg.is_empty(),
        "schemas differ\nonly SQLite: {only_lite:#?}\nonly PostgreSQL: {only_pg:#?}"
    );
    db::revert_all(&mut pg).unwrap();
    assert!(
        schema(&mut pg).is_empty(),
        "down migrations leave tables behind on PostgreSQL"
    );
    db::run_migrations(&mut pg).unwrap();
    assert_eq!(schema(&mut pg), pg_schema);
    drop(pg);
    db::drop_pg_database(&pg_admin(), &name).unwrap();
}
