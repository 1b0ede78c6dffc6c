use thiserror::Error;

/// Errors of the storage layer. Display texts are for logs and carry no personal data.
#[derive(Debug, Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Db(#[from] diesel::result::Error),
    #[error("database connection error: {0}")]
    Pool(String),
    #[error("migration error: {0}")]
    Migration(String),
    #[error("not found")]
    NotFound,
    /// A unique value is already taken; the name is the form field it belongs to.
    #[error("conflict on {0}")]
    Conflict(&'static str),
    /// The subject's data key was erased: the data is gone for good.
    #[error("data key erased")]
    KeyErased,
    #[error("cryptographic failure: {0}")]
    Crypto(&'static str),
    #[error("background task failed: {0}")]
    Join(String),
}

pub type Result<T> = std::result::Result<T, StoreError>;
