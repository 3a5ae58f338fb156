//! The facade: kickpy's methods on [`crate::KickClient`], one file per endpoint area.

mod livestreams;
mod page;

pub use page::Page;
