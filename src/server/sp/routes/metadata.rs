//! `GET {metadata}`: the SP metadata to upload to the IdP.

use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};

use crate::server::sp::app::SpApp;

pub const CONTENT_TYPE_METADATA: &str = "application/samlmetadata+xml";

pub async fn get(State(app): State<SpApp>) -> Response {
    (
        [(CONTENT_TYPE, CONTENT_TYPE_METADATA)],
        app.metadata_xml().to_string(),
    )
        .into_response()
}
