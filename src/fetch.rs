//! The one network access samlcheck makes: fetching metadata by URL, when asked to.
//! Bounded in time, size and redirects; https only unless plain HTTP is explicitly allowed.

use std::time::Duration;

/// Limits on a download.
#[derive(Debug, Clone, Copy)]
pub struct FetchPolicy {
    pub allow_http: bool,
    pub max_bytes: u64,
    pub timeout: Duration,
    pub max_redirects: u32,
}

impl Default for FetchPolicy {
    fn default() -> Self {
        FetchPolicy {
            allow_http: false,
            max_bytes: 10 * 1024 * 1024,
            timeout: Duration::from_secs(15),
            max_redirects: 5,
        }
    }
}

/// Why a download failed.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("{0} is not https (pass --allow-http to fetch over plain HTTP)")]
    InsecureScheme(String),
    #[error("the server answered HTTP {status} for {url}")]
    Status { status: u16, url: String },
    #[error("the document is larger than {limit} bytes (the download limit)")]
    TooLarge { limit: u64 },
    #[error("more than {0} redirects")]
    TooManyRedirects(u32),
    #[error("no answer within {0:?}")]
    Timeout(Duration),
    #[error("cannot fetch {url}: {reason}")]
    Transport { url: String, reason: String },
}

/// Whether `arg` names a URL rather than a file.
pub fn is_url(arg: &str) -> bool {
    let lower = arg.get(..8).unwrap_or(arg).to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://")
}

/// Downloads `url` under `policy`.
pub fn fetch(url: &str, policy: &FetchPolicy) -> Result<Vec<u8>, FetchError> {
    if !policy.allow_http && !url.get(..8).unwrap_or("").eq_ignore_ascii_case("https://") {
        return Err(FetchError::InsecureScheme(url.to_string()));
    }
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(policy.timeout))
        .max_redirects(policy.max_redirects)
        .https_only(!policy.allow_http)
        .http_status_as_error(false)
        .build()
        .into();
    let map = |e: ureq::Error| match e {
        ureq::Error::TooManyRedirects => FetchError::TooManyRedirects(policy.max_redirects),
        ureq::Error::BodyExceedsLimit(_) => FetchError::TooLarge {
            limit: policy.max_bytes,
        },
        ureq::Error::Timeout(_) => FetchError::Timeout(policy.timeout),
        ureq::Error::RequireHttpsOnly(u) => FetchError::InsecureScheme(u),
        other => FetchError::Transport {
            url: url.to_string(),
            reason: other.to_string(),
        },
    };
    let mut response = agent.get(url).call().map_err(map)?;
    let status = response.status().as_u16();
    if !(200..300).contains(&status) {
        return Err(FetchError::Status {
            status,
            url: url.to_string(),
        });
    }
    response
        .body_mut()
        .with_config()
        .limit(policy.max_bytes)
        .read_to_vec()
        .map_err(map)
}
