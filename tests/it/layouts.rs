//! Detection in the layouts people really write (#14): whole-token stop words, generic assignments
//! in many forms, encoded and escaped values, and credentials edited in place inside an unchanged
//! multi-line construct, through a real `git commit` and `git push` with the installed hooks.
use crate::support::*;
use base64::Engine;

fn b64(s: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(s)
}

/// Findings of `coach scan --staged` as (path, line, rule id, rule name, verdict).
fn staged(repo: &TestRepo) -> Vec<(String, u64, String, String, String)> {
    let (_, v) = json(repo, &["--staged", "--no-repo-config"]);
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_owned(),
                f["line"].as_u64().unwrap(),
                f["rule_id"].as_str().unwrap().to_owned(),
                f["rule_name"].as_str().unwrap().to_owned(),
                f["verdict"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn lines_found(repo: &TestRepo, path: &str) -> Vec<u64> {
    let mut l: Vec<u64> = staged(repo)
        .into_iter()
        .filter(|f| f.0 == path)
        .map(|f| f.1)
        .collect();
    l.dedup();
    l
}

#[test]
fn real_passwords_holding_a_common_word_are_found_and_stand_ins_are_not() {
    let repo = TestRepo::init();
    repo.stage(
        "app.env",
        "PORT=8080\n\
         DB_PASSWORD=Contest2024Prod\n\
         ADMIN_PASSWORD=XkAdmin9vLq3\n\
         SMTP_PASSWORD=Q7exampleZ9k\n\
         LDAP_PASSWORD=Testing#2024-Prod\n\
         DB_PASSWORD=Zq8#vLm2pR7wXé\n\
         A_PASSWORD=${DB_PASSWORD}\n\
         B_PASSWORD=changeme\n\
         C_PASSWORD=admin123\n\
         D_PASSWORD=testpassword\n\
         E_PASSWORD=<your-password>\n\
         F_PASSWORD={{ .Values.db.password }}\n",
    );
    assert_eq!(lines_found(&repo, "app.env"), vec![2, 3, 4, 5, 6]);
}

#[test]
fn generic_assignments_are_found_in_every_form() {
    let repo = TestRepo::init();
    let forms = [
        (
            "Bootstrap.java",
            "System.setProperty(\"DATABASE_PASSWORD\", \"Tundra!Raven9290\");",
        ),
        (
            "wp.php",
            "define('LDAP_BIND_PASSWORD', 'QyYai0$B@y3i&C9X6-%');",
        ),
        ("boot.rb", "ENV[\"MAIL_PASSWORD\"] ||= \"bkToken!1991yvz\""),
        (
            "main.go",
            "\tadminPass := \"a8tvwoYwslaV4ud8Bzzm19e0LSshk\"",
        ),
        (
            "conf.xml",
            "  <RedisPassword>Summit_Harbor6999</RedisPassword>",
        ),
        (
            "app.config",
            "  <add key=\"database_password\" value=\"YDContest-1997dtH\" />",
        ),
        ("settings.ini", "redisPassword = Cobalt%Willow6419"),
        ("secrets.yaml", "ldap_bind_password: |\n  Ember#Quartz4267"),
        ("backup.sh", "mysql -uapp -p'Willow@Willow1512' -h db shop"),
        (
            "ci.sh",
            "docker login -u svc -p '5xTV&ZGJ2e6L-1X~' registry.shop.lan",
        ),
        (
            "fetch.sh",
            "curl -u billing:'3kOe*&MvYD4N!' https://registry.shop.lan/v1/status",
        ),
        (
            "run.sh",
            "sshpass -p 'LzToken-2025vUI' ssh admin@cache.internal",
        ),
        (
            "settings.py",
            "SECRET_KEY = 'y_hgm@z9is^-7zkhgh@6pre$dzeh6w7hbb-zsc7ugyz1)zc+@i'",
        ),
        (
            ".env.laravel",
            "APP_KEY=base64:epbpdmkUpwP9/yhnMm2FD//9naXLk9j868ed9bxLXZc=",
        ),
        ("config/master.key", "4d4d062af008dae9670b8af7cd4fd524"),
    ];
    for (path, text) in forms {
        repo.stage(path, format!("{text}\n"));
    }
    let found = staged(&repo);
    for (path, _) in forms {
        assert!(found.iter().any(|f| f.0 == path), "{path}: {found:?}");
    }
    // The framework keys block; so does a generic password that clears the strength bar (#14).
    let verdict = |p: &str| found.iter().find(|f| f.0 == p).unwrap().4.clone();
    assert_eq!(verdict("config/master.key"), "block");
    assert_eq!(verdict(".env.laravel"), "block");
    assert_eq!(verdict("settings.ini"), "block");
}

#[test]
fn command_line_prompts_and_variables_are_not_passwords() {
    let repo = TestRepo::init();
    repo.stage(
        "deploy.sh",
        "mysql -u root -p shop\n\
         echo \"$REGISTRY_PASSWORD\" | docker login -u svc --password-stdin registry.shop.lan\n\
         sshpass -p \"$SSHPASS\" ssh admin@cache.internal\n\
         curl -u \"$USER:$PASS\" https://api.shop.lan\n\
         pg_dump --password --host db shop\n",
    );
    assert_eq!(lines_found(&repo, "deploy.sh"), Vec::<u64>::new());
}

#[test]
fn a_base64_github_token_in_a_kubernetes_secret_blocks_as_a_github_token() {
    let repo = TestRepo::init();
    let t = token();
    repo.stage(
        "k8s/secret.yaml",
        format!(
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: ci\ntype: Opaque\ndata:\n  gh-token: {}\n  user: {}\n",
            b64(&t),
            b64("deploy-bot")
        ),
    );
    let found = staged(&repo);
    assert_eq!(found.len(), 1, "{found:?}");
    let (path, line, id, name, verdict) = &found[0];
    assert_eq!((path.as_str(), *line), ("k8s/secret.yaml", 7));
    assert_eq!(id, "github.pat-classic");
    assert!(name.contains("base64"), "{name}");
    assert_eq!(verdict, "block");
}

#[test]
fn csv_exports_are_read_by_their_password_column() {
    let repo = TestRepo::init();
    repo.stage(
        "logins.csv",
        "url,username,password\nhttps://vpn.shop.lan/,bob,Q2aTTv=n!-+L_uS*\nhttps://wiki.shop.lan/,ann,\n",
    );
    repo.stage("users.csv", "id,email,plan\n1,ada@shop.lan,pro\n");
    assert_eq!(lines_found(&repo, "logins.csv"), vec![2]);
    assert_eq!(lines_found(&repo, "users.csv"), Vec::<u64>::new());
}

/// Three 64-character base64 lines: the body of a PEM block.
fn pem_body() -> String {
    let line = |n: u8| {
        base64::engine::general_purpose::STANDARD.encode(
            (0..48u8)
                .map(|i| i.wrapping_mul(37).wrapping_add(n.wrapping_mul(11)))
                .collect::<Vec<u8>>(),
        )
    };
    format!("{}\n{}\n{}\n{}", line(1), line(2), line(3), line(4))
}

#[test]
fn a_key_pasted_into_an_existing_pem_skeleton_is_blocked_by_the_pre_commit_hook() {
    let repo = TestRepo::init();
    repo.install_hooks();
    let skeleton =
        "-----BEGIN RSA PRIVATE KEY-----\nPASTE-THE-KEY-HERE\n-----END RSA PRIVATE KEY-----\n";
    repo.stage("deploy/key.pem", skeleton);
    let out = repo.git_output(&["commit", "-q", "-m", "skeleton"]);
    assert!(out.status.success(), "{}", stderr(&out));
    // Only the body lines change: BEGIN and END stay as they were.
    repo.stage(
        "deploy/key.pem",
        format!(
            "-----BEGIN RSA PRIVATE KEY-----\n{}\n-----END RSA PRIVATE KEY-----\n",
            pem_body()
        ),
    );
    let out = repo.git_output(&["commit", "-q", "-m", "key"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("deploy/key.pem"), "{}", stderr(&out));
}

#[test]
fn a_rotated_kubeconfig_token_is_blocked_by_the_pre_push_hook() {
    let repo = pushed_repo();
    let kubeconfig = |token: &str| {
        format!(
            "apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n    server: https://10.42.0.1:6443\n  name: prod\nusers:\n- name: deployer\n  user:\n    token: {token}\n"
        )
    };
    repo.stage(".kube/config", kubeconfig("${K8S_TOKEN}"));
    repo.commit("kubeconfig template");
    repo.stage(".kube/config", kubeconfig("7x2kqp.m4c9w1z8r5t3v6b0q9"));
    repo.commit("rotate");
    let out = repo.git_output(&["push", "origin", "main"]);
    let err = stderr(&out);
    assert!(!out.status.success(), "push must be blocked: {err}");
    assert!(err.contains(".kube/config:10"), "{err}");
}

#[test]
fn a_yaml_value_under_an_unchanged_key_is_read_with_its_key() {
    let repo = TestRepo::init();
    repo.stage(
        "secrets.yaml",
        "db:\n  host: db.internal\n  password: |\n    REPLACE-ME\n",
    );
    repo.commit("template");
    repo.stage(
        "secrets.yaml",
        "db:\n  host: db.internal\n  password: |\n    Ember#Quartz4267\n",
    );
    let found = staged(&repo);
    assert!(
        found.iter().any(|f| f.0 == "secrets.yaml" && f.1 == 4),
        "{found:?}"
    );
}

#[test]
fn a_key_rotated_in_place_is_found_by_a_history_scan() {
    let repo = TestRepo::init();
    repo.stage(
        "deploy/key.pem",
        "-----BEGIN RSA PRIVATE KEY-----\nPASTE-THE-KEY-HERE\n-----END RSA PRIVATE KEY-----\n",
    );
    repo.commit("skeleton");
    repo.stage(
        "deploy/key.pem",
        format!(
            "-----BEGIN RSA PRIVATE KEY-----\n{}\n-----END RSA PRIVATE KEY-----\n",
            pem_body()
        ),
    );
    let sha = repo.commit("key");
    let (code, v) = json(&repo, &["--history", "--no-repo-config"]);
    assert_eq!(code, Some(1), "{v}");
    let f = &v["findings"][0];
    assert_eq!(f["rule_id"], "keys.rsa-private-key", "{v}");
    assert_eq!(f["commit"]["id"].as_str(), Some(sha.as_str()), "{v}");
}
