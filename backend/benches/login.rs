//! Login latency: a bench binary that prints figures (run `cargo bench -p backend --bench login`).
//!
//! Starts the real `Application` on a temporary SQLite database, registers one user,
//! then measures sequential logins (latency as one person sees it) and a burst of
//! concurrent logins (what argon2's 19 MiB × 2 passes cost under load on this machine).

use std::time::{Duration, Instant};

use quartier::auth::limits::LimitSettings;
use quartier::config::{Settings, sqlite_url};
use quartier::db::Db;
use quartier::startup::Application;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

fn report(name: &str, mut samples: Vec<Duration>, wall: Duration) {
    samples.sort();
    println!(
        "{name:<28} n={:<4} p50={:>7.1} ms  p95={:>7.1} ms  max={:>7.1} ms  throughput={:>6.1}/s",
        samples.len(),
        percentile(&samples, 0.50).as_secs_f64() * 1e3,
        percentile(&samples, 0.95).as_secs_f64() * 1e3,
        samples.last().copied().unwrap_or_default().as_secs_f64() * 1e3,
        samples.len() as f64 / wall.as_secs_f64(),
    );
}

#[allow(clippy::unwrap_used, clippy::expect_used)]
fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let dir = tempfile::tempdir().unwrap();
        let database_url = sqlite_url(&dir.path().join("bench.db"));
        let db = Db::connect(&database_url).await.unwrap();
        db.migrate().await.unwrap();
        let settings = Settings {
            bind: "127.0.0.1:0".into(),
            database_url,
            data_dir: dir.path().to_path_buf(),
            web_dir: dir.path().to_path_buf(),
            jwt_secret: "bench-secret-bench-secret-bench-secret-00".into(),
            demo: false,
            refresh_grace_secs: 20,
            secure_cookies: false,
            hsts_max_age_secs: 0,
            help_flag_after_hours: 48,
            limits: LimitSettings {
                per_ip_per_minute: 1_000_000,
                per_account_per_minute: 1_000_000,
            },
        };
        let app = Application::build_with_db(settings, db).unwrap();
        let base = app.url();
        tokio::spawn(app.run_until_stopped());
        let client = reqwest::Client::new();
        let password = "Apfelbaum-Lindenweg-42";
        let register = serde_json::json!({
            "email": "bench@example.de", "password": password, "display_name": "Bench",
            "accept_privacy_notice": true,
            "privacy_notice_version": shared::accounts::PRIVACY_NOTICE_VERSION,
        });
        let r = client
            .post(format!("{base}/api/v1/auth/register"))
            .json(&register)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201);

        let t = Instant::now();
        let mut hashes = Vec::new();
        for _ in 0..10 {
            let s = Instant::now();
            quartier::crypto::hash_password(password).unwrap();
            hashes.push(s.elapsed());
        }
        report("argon2id hash (m=19MiB,t=2)", hashes, t.elapsed());

        let login = |email: &'static str| {
            let client = client.clone();
            let url = format!("{base}/api/v1/auth/login");
            async move {
                let s = Instant::now();
                let r = client
                    .post(url)
                    .json(&serde_json::json!({"email": email, "password": password}))
                    .send()
                    .await
                    .unwrap();
                let status = r.status().as_u16();
                r.bytes().await.unwrap();
                (s.elapsed(), status)
            }
        };
        // Warm-up.
        login("bench@example.de").await;

        for (name, email, expected) in [
            ("login, right password", "bench@example.de", 200),
            ("login, unknown email", "nobody@example.de", 401),
        ] {
            let t = Instant::now();
            let mut samples = Vec::new();
            for _ in 0..30 {
                let (d, status) = login(email).await;
                assert_eq!(status, expected);
                samples.push(d);
            }
            report(name, samples, t.elapsed());
        }

        let t = Instant::now();
        let tasks: Vec<_> = (0..40)
            .map(|_| tokio::spawn(login("bench@example.de")))
            .collect();
        let mut samples = Vec::new();
        for task in tasks {
            let (d, status) = task.await.unwrap();
            assert_eq!(status, 200);
            samples.push(d);
        }
        report("login, 40 concurrent", samples, t.elapsed());
    });
}
