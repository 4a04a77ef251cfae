//! Who and where: the repository identity and the author of the change.
use git2::{Oid, Repository};

/// How the ledger knows a repository. The id is `root:<root commit>` (the first-parent root of
/// `HEAD`): it stays the same when a remote is added or renamed, in every clone, and whatever
/// folder the checkout is in. Before the first commit there is no root, and the id is the
/// checkout's path hash until there is (its events are then adopted, see `Ledger::resolve_repo`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepoKey {
    /// `root:<id>`, else the path alias.
    pub id: String,
    /// `path-sha256:<hash of the checkout's path>`: what this checkout was known by before the
    /// root commit was the identity, and the key of the cached root lookup.
    pub alias: String,
    /// The `origin` URL without credentials: shown in reports, never an identity (an older coach
    /// used it as one; such events are adopted).
    pub label: Option<String>,
}

/// The `origin` URL with any credentials removed (a URL like `https://user:token@host/x` must not
/// put a token in the ledger).
pub fn origin_label(repo: &Repository) -> Option<String> {
    repo.find_remote("origin")
        .ok()
        .and_then(|r| r.url().map(crate::escape::strip_credentials))
}

/// A SHA-256 of the checkout's path (a path is not a secret; the hash only keeps the ledger free
/// of home folders).
pub fn path_alias(repo: &Repository) -> String {
    let path = repo.workdir().unwrap_or_else(|| repo.path());
    let canonical = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    use sha2::Digest;
    let digest = sha2::Sha256::digest(canonical.to_string_lossy().as_bytes());
    format!("path-sha256:{}", hex::encode(&digest[..16]))
}

/// The root commit reached from `HEAD` along first parents; `None` before the first commit.
pub fn root_commit(repo: &Repository) -> Option<Oid> {
    let head = repo.head().ok()?.peel_to_commit().ok()?;
    let mut walk = repo.revwalk().ok()?;
    walk.push(head.id()).ok()?;
    walk.simplify_first_parent().ok()?;
    walk.filter_map(std::result::Result::ok).last()
}

/// The key of `repo`, computing the root commit (see [`RepoKey`]); `cached` is a root id the ledger
/// remembered for this checkout, used when it is still in the repository (a first-parent walk of a
/// long history costs a noticeable moment on every hook run otherwise).
pub fn repo_key(repo: &Repository, cached: Option<&str>) -> RepoKey {
    let alias = path_alias(repo);
    let label = origin_label(repo);
    let cached = cached
        .and_then(|c| c.strip_prefix("root:"))
        .and_then(|c| Oid::from_str(c).ok())
        .filter(|id| repo.head().is_ok() && repo.find_commit(*id).is_ok());
    let id = match cached.or_else(|| root_commit(repo)) {
        Some(root) => format!("root:{root}"),
        None => alias.clone(),
    };
    RepoKey { id, alias, label }
}

/// The repository's identity in the ledger, without a cache: see [`RepoKey`].
pub fn repo_identity(repo: &Repository) -> String {
    repo_key(repo, None).id
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
