//! `GET {prefix}/api/logins`: the recent test logins as JSON, newest first.

use axum::extract::State;
use axum::response::{IntoResponse, Response};

use crate::server::sp::app::SpApp;

pub async fn logins(State(app): State<SpApp>) -> Response {
    let logins = app.logins();
    let list: Vec<&crate::server::sp::state::Login> = logins.iter().map(|l| l.as_ref()).collect();
    axum::Json(list).into_response()
}
