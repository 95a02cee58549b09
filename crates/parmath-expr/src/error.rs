//! Errors, each with the Python exception it becomes and, for the parser's, the column it points at.

use std::fmt;

/// Which Python exception an error becomes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// Malformed or unsupported syntax, or an expression too long or too deep: `ValueError`.
    Syntax,
    /// A name no input provides: `NameError`.
    Name,
    /// An unknown function, a wrong argument count, a bad `axis`: `ValueError`.
    Value,
    /// An operation the operand types do not support: `TypeError`.
    Type,
    /// A Python integer that does not fit the type it meets: `OverflowError`.
    Overflow,
}

/// An error about an expression.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    /// What kind.
    pub kind: ErrorKind,
    /// What went wrong, in a sentence.
    pub message: String,
    /// The character columns `[start, end)` it is about, when known.
    pub span: Option<(usize, usize)>,
}

impl Error {
    pub(crate) fn new(
        kind: ErrorKind,
        message: impl Into<String>,
        span: Option<(usize, usize)>,
    ) -> Self {
        Error {
            kind,
            message: message.into(),
            span,
        }
    }

    pub(crate) fn syntax(message: impl Into<String>, span: (usize, usize)) -> Self {
        Error::new(ErrorKind::Syntax, message, Some(span))
    }

    /// The message followed by the expression and a caret under the column, as Python shows syntax
    /// errors.
    pub fn render(&self, text: &str) -> String {
        match self.span {
            Some((start, end)) if !text.contains('\n') && text.chars().count() <= 200 => {
                let width = end.saturating_sub(start).max(1);
                format!(
                    "{} (column {})\n    {}\n    {}{}",
                    self.message,
                    start + 1,
                    text,
                    " ".repeat(start),
                    "^".repeat(width.min(text.chars().count().saturating_sub(start).max(1)))
                )
            }
            Some((start, _)) => format!("{} (column {})", self.message, start + 1),
            None => self.message.clone(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

/// A result with an [`Error`].
pub type Result<T> = std::result::Result<T, Error>;
