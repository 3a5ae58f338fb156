//! The decoding of a 200 answer that the generated code calls (build.rs points it here).

use progenitor_client::{Error, OperationInfo, ResponseValue};
use serde::de::DeserializeOwned;

use super::Core;
use super::body::{self, ReadError};
use super::call;

/// `ResponseValue::from_response` without its copy of the header map (the headers are moved out of the
/// response, which needs none of them to read its body), with the answer's size capped, and, when it
/// fails, the facts a facade call's error names noted for it.
#[doc(hidden)]
pub async fn response_value<T: DeserializeOwned, E>(
    core: &Core,
    info: &OperationInfo,
    mut response: reqwest::Response,
) -> Result<ResponseValue<T>, Error<E>> {
    let status = response.status();
    let headers = std::mem::take(response.headers_mut());
    let limit = body::cap_of(&response);
    let body = match body::read_capped(&mut response, limit).await {
        Ok(body) => body,
        Err(ReadError::Transport(error)) => {
            call::note_answer(core, info.operation_id, response.url());
            return Err(Error::ResponseBodyError(error));
        }
        Err(ReadError::TooLarge { limit }) => {
            call::note_answer(core, info.operation_id, response.url());
            call::answer_too_large(core, limit);
            return Err(Error::Custom(format!("the answer is over {limit} bytes (max_answer_bytes)")));
        }
    };
    match from_json(&body) {
        Ok(inner) => Ok(ResponseValue::new(inner, status, headers)),
        Err(error) => {
            call::note_answer(core, info.operation_id, response.url());
            Err(Error::InvalidResponsePayload(body, error))
        }
    }
}

/// `serde_json::from_slice`, read as text when the body is valid UTF-8 (nearly always): serde_json then
/// does not check each string it copies out again, which on a page of 100 live streams is about a seventh
/// of the decoding. A body that is not UTF-8 is read as bytes, exactly as before, so that what is
/// accepted and each error stay serde_json's own.
pub(crate) fn from_json<T: DeserializeOwned>(body: &[u8]) -> serde_json::Result<T> {
    match std::str::from_utf8(body) {
        Ok(text) => serde_json::from_str(text),
        Err(_) => serde_json::from_slice(body),
    }
}
