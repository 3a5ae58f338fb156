//! Reading an answer's body with a cap on its size, so a hostile or broken server cannot make the
//! client buffer more than the caller allowed. The one reader for API and OAuth answers alike.

use bytes::{Bytes, BytesMut};

/// The default cap on an API answer: far above Kick's largest real answers (a full page of 100
/// live streams or categories is well under 1 MiB).
pub const DEFAULT_MAX_ANSWER_BYTES: usize = 16 * 1024 * 1024;

/// The cap on an OAuth server answer: a token answer is a few hundred bytes.
pub(crate) const OAUTH_MAX_ANSWER_BYTES: usize = 64 * 1024;

/// The cap that applies to one API answer, put in the response's extensions by the request pipeline
/// so the generated decoding (which only sees the response) can read it; absent means the default.
#[derive(Clone, Copy, Debug)]
pub(crate) struct AnswerCap(pub(crate) usize);

/// Why a body could not be read.
#[derive(Debug)]
pub(crate) enum ReadError {
    /// The body is longer than the cap (announced or as read); reading stopped there.
    TooLarge { limit: usize },
    /// The connection failed while reading.
    Transport(reqwest::Error),
}

/// The whole body of `response` (left in place, so an error can still name its URL), or
/// [`ReadError::TooLarge`] as soon as it passes `limit` bytes.
pub(crate) async fn read_capped(response: &mut reqwest::Response, limit: usize) -> Result<Bytes, ReadError> {
    let announced = response.content_length();
    if announced.is_some_and(|announced| announced > limit as u64) {
        return Err(ReadError::TooLarge { limit });
    }
    // A small answer usually comes in one chunk: it is returned as it is, not copied.
    let Some(first) = response.chunk().await.map_err(ReadError::Transport)? else {
        return Ok(Bytes::new());
    };
    if first.len() > limit {
        return Err(ReadError::TooLarge { limit });
    }
    let Some(second) = response.chunk().await.map_err(ReadError::Transport)? else {
        return Ok(first);
    };
    let read = first.len() + second.len();
    if read > limit {
        return Err(ReadError::TooLarge { limit });
    }
    // The announced length (already known to be within the cap) sizes the buffer once.
    let announced = announced.and_then(|length| usize::try_from(length).ok()).unwrap_or(0);
    let mut body = BytesMut::with_capacity(announced.max(read));
    body.extend_from_slice(&first);
    body.extend_from_slice(&second);
    while let Some(chunk) = response.chunk().await.map_err(ReadError::Transport)? {
        if body.len() + chunk.len() > limit {
            return Err(ReadError::TooLarge { limit });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

/// The cap of `response` (set by the pipeline), or the default for a response that did not pass it.
pub(crate) fn cap_of(response: &reqwest::Response) -> usize {
    response.extensions().get::<AnswerCap>().map_or(DEFAULT_MAX_ANSWER_BYTES, |cap| cap.0)
}
