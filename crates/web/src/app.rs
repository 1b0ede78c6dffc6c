//! The application: the router built from the route table, behind the guard.
use crate::routes::table;
use crate::{AppState, guard};
use axum::Router;

/// The application. `extra` lets tests mount routes that are not in the table, to
/// prove that the guard refuses them.
pub fn router_with(state: AppState, extra: Router<AppState>) -> Router {
    let mut router: Router<AppState> = Router::new();
    for (rule, handler) in table() {
        router = router.route(rule.path, handler);
    }
    router
        .merge(extra)
        .fallback(crate::site::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            guard::guard,
        ))
        .with_state(state)
}

pub fn router(state: AppState) -> Router {
    router_with(state, Router::new())
}
