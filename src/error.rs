//! Errors whose kind matters to the exit code or the message, and the exit contract itself.
use std::path::PathBuf;

/// The hook exit contract: 0 allow, 1 blocked by a finding, 2 usage/config/internal error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    Allow,
    Blocked,
    Error,
}

impl From<ExitStatus> for std::process::ExitCode {
    fn from(s: ExitStatus) -> Self {
        match s {
            ExitStatus::Allow => Self::from(0),
            ExitStatus::Blocked => Self::from(1),
            ExitStatus::Error => Self::from(2),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A config or rule file that does not parse or validate. `line`/`col` are 1-based.
    #[error("{}:{line}:{col}: {msg}", path.display())]
    Data {
        path: PathBuf,
        line: usize,
        col: usize,
        msg: String,
    },
    #[error("{0}")]
    Usage(String),
    #[error("git: {0}")]
    Git(#[from] git2::Error),
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl Error {
    /// Builds a `Data` error from a byte offset into `text`, so messages can name file:line:col.
    pub(crate) fn at_offset(
        path: &std::path::Path,
        text: &str,
        offset: usize,
        msg: impl Into<String>,
    ) -> Self {
        let (line, col) = line_col(text, offset);
        Error::Data {
            path: path.to_path_buf(),
            line,
            col,
            msg: msg.into(),
        }
    }
}

/// 1-based line and column of a byte offset.
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text.as_bytes()[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    let col = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    (line, col)
}

pub type Result<T, E = anyhow::Error> = std::result::Result<T, E>;
