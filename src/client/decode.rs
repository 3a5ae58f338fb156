//! The decoding of a 200 answer that the generated code calls (build.rs points it here).

use progenitor_client::{Error, ResponseValue};
use serde::de::DeserializeOwned;

use super::body::{self, ReadError};
use super::call;

/// `ResponseValue::from_response` without its copy of the header map: the headers are moved out of the
/// response, which needs none of them to read its body.
#[doc(hidden)]
pub async fn response_value<T: DeserializeOwned, E>(
    mut response: reqwest::Response,
) -> Result<ResponseValue<T>, Error<E>> {
    let status = response.status();
    let headers = std::mem::take(response.headers_mut());
    let limit = body::cap_of(&response);
    let body = match body::read_capped(response, limit).await {
        Ok(body) => body,
        Err(ReadError::Transport(error)) => return Err(Error::ResponseBodyError(error)),
        Err(ReadError::TooLarge { limit }) => {
            call::answer_too_large(limit);
            return Err(Error::Custom(format!("the answer is over {limit} bytes (max_answer_bytes)")));
        }
    };
    match serde_json::from_slice(&body) {
        Ok(inner) => Ok(ResponseValue::new(inner, status, headers)),
        Err(error) => Err(Error::InvalidResponsePayload(body, error)),
    }
}
