//! Client-side constraint checks for generated `validate()` methods.
//!
//! The server stays the judge (sending never calls `validate()`), but a caller who wants to catch a
//! bad value before a round trip gets a typed error naming the field and the broken constraint.

use std::fmt;

/// A value that breaks a constraint of the API's schema.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidationError {
    field: String,
    violation: Violation,
}

/// The constraint that was broken, with the limit and the value found.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Violation {
    /// Fewer characters than `minLength`.
    TooShort {
        /// The minimum length.
        min: u64,
        /// The value's length in characters.
        actual: u64,
    },
    /// More characters than `maxLength`.
    TooLong {
        /// The maximum length.
        max: u64,
        /// The value's length in characters.
        actual: u64,
    },
    /// Below `minimum`.
    BelowMinimum {
        /// The inclusive minimum.
        minimum: f64,
        /// The value.
        actual: f64,
    },
    /// Above `maximum`.
    AboveMaximum {
        /// The inclusive maximum.
        maximum: f64,
        /// The value.
        actual: f64,
    },
    /// Not above an exclusive minimum.
    NotAboveExclusiveMinimum {
        /// The exclusive minimum.
        minimum: f64,
        /// The value.
        actual: f64,
    },
    /// Not below an exclusive maximum.
    NotBelowExclusiveMaximum {
        /// The exclusive maximum.
        maximum: f64,
        /// The value.
        actual: f64,
    },
    /// Fewer items than `minItems`.
    TooFewItems {
        /// The minimum count.
        min: u64,
        /// The count found.
        actual: u64,
    },
    /// More items than `maxItems`.
    TooManyItems {
        /// The maximum count.
        max: u64,
        /// The count found.
        actual: u64,
    },
}

impl ValidationError {
    /// An error for `field`.
    pub fn new(field: impl Into<String>, violation: Violation) -> Self {
        ValidationError {
            field: field.into(),
            violation,
        }
    }

    /// The field's path on the wire, e.g. `metadata.user_id` or `messages[2].content`.
    pub fn field(&self) -> &str {
        &self.field
    }

    /// The broken constraint.
    pub fn violation(&self) -> &Violation {
        &self.violation
    }

    /// Prefixes the field path with the field that contains it.
    pub fn within(mut self, parent: &str) -> Self {
        self.field = format!("{parent}.{}", self.field);
        self
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid `{}`: ", self.field)?;
        match &self.violation {
            Violation::TooShort { min, actual } => {
                write!(f, "{actual} characters, at least {min} required")
            }
            Violation::TooLong { max, actual } => {
                write!(f, "{actual} characters, at most {max} allowed")
            }
            Violation::BelowMinimum { minimum, actual } => {
                write!(f, "{actual} is below the minimum {minimum}")
            }
            Violation::AboveMaximum { maximum, actual } => {
                write!(f, "{actual} is above the maximum {maximum}")
            }
            Violation::NotAboveExclusiveMinimum { minimum, actual } => {
                write!(f, "{actual} must be greater than {minimum}")
            }
            Violation::NotBelowExclusiveMaximum { maximum, actual } => {
                write!(f, "{actual} must be less than {maximum}")
            }
            Violation::TooFewItems { min, actual } => {
                write!(f, "{actual} items, at least {min} required")
            }
            Violation::TooManyItems { max, actual } => {
                write!(f, "{actual} items, at most {max} allowed")
            }
        }
    }
}

impl std::error::Error for ValidationError {}

/// Checks `minLength` (in characters, as JSON Schema counts them).
pub fn min_length(field: &str, value: &str, min: u64) -> Result<(), ValidationError> {
    let actual = value.chars().count() as u64;
    if actual < min {
        return Err(ValidationError::new(
            field,
            Violation::TooShort { min, actual },
        ));
    }
    Ok(())
}

/// Checks `maxLength`.
pub fn max_length(field: &str, value: &str, max: u64) -> Result<(), ValidationError> {
    // Cheap bound first: a string has at least len/4 characters.
    if (value.len() as u64) <= max {
        return Ok(());
    }
    let actual = value.chars().count() as u64;
    if actual > max {
        return Err(ValidationError::new(
            field,
            Violation::TooLong { max, actual },
        ));
    }
    Ok(())
}

/// Checks an inclusive `minimum`.
pub fn minimum(field: &str, value: f64, minimum: f64) -> Result<(), ValidationError> {
    if value < minimum {
        return Err(ValidationError::new(
            field,
            Violation::BelowMinimum {
                minimum,
                actual: value,
            },
        ));
    }
    Ok(())
}

/// Checks an inclusive `maximum`.
pub fn maximum(field: &str, value: f64, maximum: f64) -> Result<(), ValidationError> {
    if value > maximum {
        return Err(ValidationError::new(
            field,
            Violation::AboveMaximum {
                maximum,
                actual: value,
            },
        ));
    }
    Ok(())
}

/// Checks an exclusive minimum.
pub fn exclusive_minimum(field: &str, value: f64, minimum: f64) -> Result<(), ValidationError> {
    if value <= minimum {
        return Err(ValidationError::new(
            field,
            Violation::NotAboveExclusiveMinimum {
                minimum,
                actual: value,
            },
        ));
    }
    Ok(())
}

/// Checks an exclusive maximum.
pub fn exclusive_maximum(field: &str, value: f64, maximum: f64) -> Result<(), ValidationError> {
    if value >= maximum {
        return Err(ValidationError::new(
            field,
            Violation::NotBelowExclusiveMaximum {
                maximum,
                actual: value,
            },
        ));
    }
    Ok(())
}

/// Checks `minItems`.
pub fn min_items(field: &str, len: usize, min: u64) -> Result<(), ValidationError> {
    if (len as u64) < min {
        return Err(ValidationError::new(
            field,
            Violation::TooFewItems {
                min,
                actual: len as u64,
            },
        ));
    }
    Ok(())
}

/// Checks `maxItems`.
pub fn max_items(field: &str, len: usize, max: u64) -> Result<(), ValidationError> {
    if (len as u64) > max {
        return Err(ValidationError::new(
            field,
            Violation::TooManyItems {
                max,
                actual: len as u64,
            },
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_counts_characters_not_bytes() {
        assert!(max_length("f", "ééé", 3).is_ok());
        assert!(max_length("f", "éééé", 3).is_err());
    }

    #[test]
    fn errors_name_the_nested_field() {
        let e = max_length("user_id", "abcd", 3)
            .unwrap_err()
            .within("metadata");
        assert_eq!(e.field(), "metadata.user_id");
        assert_eq!(
            e.to_string(),
            "invalid `metadata.user_id`: 4 characters, at most 3 allowed"
        );
    }

    #[test]
    fn bounds_are_inclusive_or_exclusive_as_asked() {
        assert!(minimum("t", 0.0, 0.0).is_ok());
        assert!(exclusive_minimum("t", 0.0, 0.0).is_err());
        assert!(maximum("t", 1.0, 1.0).is_ok());
        assert!(exclusive_maximum("t", 1.0, 1.0).is_err());
    }
}
