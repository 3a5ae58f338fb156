//! The one error type of the tool: a message printed as one line, never a backtrace.

use std::fmt;

/// Why a command failed, worded for the person at the terminal.
#[derive(Debug)]
pub struct Fail(String);

impl Fail {
    pub fn new(message: impl Into<String>) -> Self {
        Fail(message.into())
    }
}

impl fmt::Display for Fail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // One line: causes are joined, never printed as a multi-line report.
        f.write_str(&self.0.replace('\n', " "))
    }
}

/// Errors whose own text says enough; each becomes the message as it is.
macro_rules! fail_from {
    ($($source:ty),+ $(,)?) => {
        $(impl From<$source> for Fail {
            fn from(error: $source) -> Self {
                Fail(chain(&error))
            }
        })+
    };
}

fail_from!(kickrs::Error, kickrs::auth::AuthError, serde_json::Error, reqwest::Error, url::ParseError);

/// The error and its sources as `outer: inner: innermost` (skipping a source that repeats its parent).
pub fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

/// Adds what was being done to an IO error (`reading headers.txt: No such file or directory`).
pub trait Context<T> {
    fn context(self, what: impl FnOnce() -> String) -> Result<T, Fail>;
}

impl<T, E: std::error::Error> Context<T> for Result<T, E> {
    fn context(self, what: impl FnOnce() -> String) -> Result<T, Fail> {
        self.map_err(|e| Fail(format!("{}: {}", what(), chain(&e))))
    }
}
