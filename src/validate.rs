//! Kick's input limits, checked before any request is sent.
//!
//! Every limit lives here, next to the rule that enforces it; the facade only calls these rules.

/// An argument that breaks one of Kick's limits.
///
/// ```
/// let err = kickrs::validate::ValidationError::new("content", kickrs::validate::Problem::Length { len: 600, min: 1, max: 500 });
/// assert_eq!(err.to_string(), "`content` is 600 characters long; Kick allows 1 to 500");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("`{field}` {problem}")]
pub struct ValidationError {
    /// The argument at fault, named as in Kick's API.
    pub field: &'static str,
    /// What is wrong with it.
    pub problem: Problem,
}

impl ValidationError {
    /// Builds an error for `field`.
    pub fn new(field: &'static str, problem: Problem) -> Self {
        Self { field, problem }
    }
}

/// What is wrong with an argument, with the size found and the limit.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Problem {
    /// A text outside its length range (counted in Unicode scalar values).
    #[error("is {len} characters long; Kick allows {min} to {max}")]
    Length {
        /// Length found.
        len: usize,
        /// Smallest length allowed.
        min: usize,
        /// Largest length allowed.
        max: usize,
    },
    /// A number outside its range.
    #[error("is {value}; Kick allows {min} to {max}")]
    Range {
        /// Value found.
        value: i64,
        /// Smallest value allowed.
        min: i64,
        /// Largest value allowed.
        max: i64,
    },
    /// A list with too few or too many items.
    #[error("has {count} items; Kick allows {min} to {max}")]
    Count {
        /// Items found.
        count: usize,
        /// Fewest allowed.
        min: usize,
        /// Most allowed.
        max: usize,
    },
    /// A list with the same item twice.
    #[error("lists `{value}` more than once; Kick wants unique values")]
    Duplicate {
        /// The repeated value.
        value: String,
    },
    /// A value in the wrong format.
    #[error("is `{value}`, not {expected}")]
    Format {
        /// Value found.
        value: String,
        /// The format Kick wants, e.g. `a #RRGGBB colour`.
        expected: &'static str,
    },
    /// A required argument is missing.
    #[error("is required {reason}")]
    Missing {
        /// When it is required.
        reason: &'static str,
    },
    /// Two arguments that cannot be used together.
    #[error("cannot be combined with `{other}`")]
    Conflict {
        /// The other argument.
        other: &'static str,
    },
    /// An update that sets nothing.
    #[error("sets no field; Kick needs at least one")]
    Empty,
}

// ---------------------------------------------------------------- shared rules
// (length, range, count, uniqueness helpers used by both sections below)

// ---------------------------------------------------------------- reads: users, channels, livestreams, categories

// ---------------------------------------------------------------- writes: chat, moderation, rewards, kicks, ads, events
