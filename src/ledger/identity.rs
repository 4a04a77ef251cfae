//! Who and where: the repository identity and the author of the change.
use git2::Repository;

/// The repository's identity in the ledger: the `origin` URL with any credentials removed (a URL
/// like `https://user:token@host/x` must not put a token in the ledger), else a SHA-256 of the
/// repository's path (a path is not a secret; the hash only keeps the ledger free of home folders).
pub fn repo_identity(repo: &Repository) -> String {
    if let Some(url) = repo
        .find_remote("origin")
        .ok()
        .and_then(|r| r.url().map(str::to_owned))
    {
        return crate::escape::strip_credentials(&url);
    }
    let path = repo.workdir().unwrap_or_else(|| repo.path());
    let canonical = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    use sha2::Digest;
    let digest = sha2::Sha256::digest(canonical.to_string_lossy().as_bytes());
    format!("path-sha256:{}", hex::encode(&digest[..16]))
}

/// The author of the commit being made: `GIT_AUTHOR_EMAIL` (git exports it to hooks, so `--author`
/// and per-command identities count), else `user.email`, else "unknown".
pub fn author(repo: &Repository) -> String {
    std::env::var("GIT_AUTHOR_EMAIL")
        .ok()
        .filter(|s| !s.trim().is_empty())
        .or_else(|| {
            repo.config()
                .ok()
                .and_then(|c| c.get_string("user.email").ok())
        })
        .map_or_else(|| "unknown".to_owned(), |s| s.trim().to_owned())
}
