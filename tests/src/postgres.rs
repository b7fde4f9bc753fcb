//! A throwaway PostgreSQL server for tests: Debian's `postgresql` binaries,
//! a temporary data directory, a free loopback port, stopped when dropped
//! and, should the test process die first, when the process exits.
//!
//! Tests run as root and `initdb` refuses root, so as root the server runs
//! as `nobody`. One cluster is initialised per machine and PostgreSQL
//! version (kept in the temporary directory) and copied for each server.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// What went wrong starting a server, with what to do.
pub type Result<T> = std::result::Result<T, String>;

/// Settings every server gets: fast and disposable, and string literals
/// read as StackQL's parser reads them (backslash escapes,
/// `standard_conforming_strings = off`).
const SETTINGS: &[(&str, &str)] = &[
    ("listen_addresses", "127.0.0.1"),
    ("fsync", "off"),
    ("synchronous_commit", "off"),
    ("full_page_writes", "off"),
    ("max_connections", "40"),
    ("shared_buffers", "32MB"),
    ("standard_conforming_strings", "off"),
    ("escape_string_warning", "off"),
];

/// The folder holding `initdb` and `postgres`: `$PG_BIN`, else the newest
/// `/usr/lib/postgresql/<version>/bin`, else `initdb` on `PATH`.
pub fn bin_dir() -> Result<PathBuf> {
    if let Some(dir) = std::env::var_os("PG_BIN") {
        return Ok(PathBuf::from(dir));
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let version = e.file_name().to_str()?.parse().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").is_file().then_some((version, bin))
        })
        .collect();
    versions.sort();
    if let Some((_, bin)) = versions.pop() {
        return Ok(bin);
    }
    std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .find(|dir| dir.join("initdb").is_file() && dir.join("postgres").is_file())
        .ok_or_else(|| {
            "PostgreSQL is not installed: `apt-get install -y postgresql` (or set PG_BIN to the \
             folder holding initdb and postgres)"
                .to_string()
        })
}

fn run(command: &mut Command) -> Result<String> {
    let out = command
        .output()
        .map_err(|e| format!("cannot run {command:?}: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "{command:?} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// `uid:gid` of `nobody` when running as root (initdb refuses root).
fn unprivileged() -> Result<Option<String>> {
    if run(Command::new("id").arg("-u"))? != "0" {
        return Ok(None);
    }
    let uid = run(Command::new("id").args(["-u", "nobody"]))?;
    let gid = run(Command::new("id").args(["-g", "nobody"]))?;
    Ok(Some(format!("{uid}:{gid}")))
}

/// `command` as the unprivileged user when running as root.
fn as_user(user: &Option<String>, program: &Path) -> Command {
    match user {
        Some(ids) => {
            let (uid, gid) = ids.split_once(':').unwrap_or((ids, ids));
            let mut c = Command::new("setpriv");
            c.args([
                &format!("--reuid={uid}"),
                &format!("--regid={gid}"),
                "--clear-groups",
                "--",
            ])
            .arg(program);
            c
        }
        None => Command::new(program),
    }
}

fn chown(user: &Option<String>, path: &Path) -> Result<()> {
    if let Some(ids) = user {
        run(Command::new("chown").args(["-R", ids]).arg(path))?;
    }
    Ok(())
}

/// The initialised cluster every server copies (one per machine, user and
/// PostgreSQL version; made once, atomically).
fn template(bin: &Path, user: &Option<String>) -> Result<PathBuf> {
    static TEMPLATE: OnceLock<Result<PathBuf>> = OnceLock::new();
    TEMPLATE
        .get_or_init(|| {
            let version = run(Command::new(bin.join("postgres")).arg("--version"))?;
            let version: String = version.chars().filter(char::is_ascii_digit).collect();
            let who = user.as_deref().unwrap_or("self").replace(':', "-");
            let dir = std::env::temp_dir().join(format!("stackql-tests-pg{version}-{who}"));
            if dir.join("PG_VERSION").is_file() {
                return Ok(dir);
            }
            let staging = scratch_dir(user)?;
            let data = staging.join("data");
            run(as_user(user, &bin.join("initdb"))
                .args([
                    "-U",
                    "postgres",
                    "--auth=trust",
                    "-N",
                    "-E",
                    "UTF8",
                    "--locale=C",
                    "-D",
                ])
                .arg(&data))?;
            if std::fs::rename(&data, &dir).is_err() && !dir.join("PG_VERSION").is_file() {
                return Err(format!("cannot move the cluster to {}", dir.display()));
            }
            let _ = std::fs::remove_dir_all(&staging);
            Ok(dir)
        })
        .clone()
}

/// A new empty directory in the temporary directory, owned by `user`.
fn scratch_dir(user: &Option<String>) -> Result<PathBuf> {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "stackql-tests-pg-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    chown(user, &dir)?;
    Ok(dir)
}

/// A port nothing listens on now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or(0)
}

/// How to start a server beyond the defaults.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// More `postgresql.conf` settings.
    pub settings: Vec<(String, String)>,
    /// Replaces `pg_hba.conf` (default: trust on loopback).
    pub hba: Option<String>,
    /// Files written into the data directory (name, contents), mode 0600.
    pub files: Vec<(String, Vec<u8>)>,
}

/// A running server; stopped (fast shutdown) and deleted when dropped.
#[derive(Debug)]
pub struct Postgres {
    port: u16,
    dir: PathBuf,
    bin: PathBuf,
    control: Option<ChildStdin>,
    shell: Child,
}

impl Postgres {
    /// Starts a server with the default settings; user `postgres`, no
    /// password, databases `postgres` and `template1`.
    pub fn start() -> Result<Postgres> {
        Postgres::start_with(&Options::default())
    }

    /// Starts a server with `options`. A start that fails (another
    /// process took the free port first) is tried again, twice.
    pub fn start_with(options: &Options) -> Result<Postgres> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            match Postgres::try_start(options) {
                Err(e) if attempt < 3 => eprintln!("PostgreSQL start {attempt} failed: {e}"),
                result => return result,
            }
        }
    }

    fn try_start(options: &Options) -> Result<Postgres> {
        let bin = bin_dir()?;
        let user = unprivileged()?;
        let template = template(&bin, &user)?;
        let dir = scratch_dir(&user)?;
        let data = dir.join("data");
        run(Command::new("cp").arg("-a").arg(&template).arg(&data))?;
        for (name, contents) in &options.files {
            let path = data.join(name);
            std::fs::write(&path, contents).map_err(|e| format!("{}: {e}", path.display()))?;
            run(Command::new("chmod").arg("600").arg(&path))?;
        }
        if let Some(hba) = &options.hba {
            std::fs::write(data.join("pg_hba.conf"), hba).map_err(|e| e.to_string())?;
        }
        chown(&user, &data)?;
        let port = free_port();
        let mut postgres = as_user(&user, &bin.join("postgres"));
        postgres
            .arg("-D")
            .arg(&data)
            .arg("-p")
            .arg(port.to_string());
        postgres.arg("-k").arg(&dir);
        for (k, v) in SETTINGS
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .chain(options.settings.iter().cloned())
        {
            postgres.arg("-c").arg(format!("{k}={v}"));
        }
        // The shell stops the server when told on stdin, or when stdin
        // closes because the test process exited, and then deletes it.
        let script = r#""$@" >"$LOG" 2>&1 &
pid=$!
read -r mode
if [ "$mode" = immediate ]; then kill -QUIT "$pid"; else kill -INT "$pid"; fi
wait "$pid"
[ "$mode" = immediate ] || rm -rf "$DIR""#;
        let mut shell = Command::new("sh");
        shell
            .arg("-c")
            .arg(script)
            .arg("sh")
            .arg(postgres.get_program())
            .args(postgres.get_args())
            .env("LOG", dir.join("log"))
            .env("DIR", &dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let mut shell = shell.spawn().map_err(|e| format!("cannot start sh: {e}"))?;
        let control = shell.stdin.take();
        let mut server = Postgres {
            port,
            dir,
            bin,
            control,
            shell,
        };
        server.wait_ready()?;
        Ok(server)
    }

    fn wait_ready(&mut self) -> Result<()> {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let ready = Command::new(self.bin.join("pg_isready"))
                .args(["-q", "-h", "127.0.0.1", "-t", "2", "-p"])
                .arg(self.port.to_string())
                .status()
                .is_ok_and(|s| s.success());
            if ready {
                return Ok(());
            }
            let exited = matches!(self.shell.try_wait(), Ok(Some(_)));
            if exited || Instant::now() > deadline {
                return Err(format!(
                    "PostgreSQL did not start on port {}: {}",
                    self.port,
                    self.log()
                ));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// The server's log so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("log")).unwrap_or_default()
    }

    /// The data directory (`pg_hba.conf`, `postgresql.conf`, ...).
    pub fn data_dir(&self) -> PathBuf {
        self.dir.join("data")
    }

    /// The port on 127.0.0.1.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// A connection string for tokio-postgres to database `db`.
    pub fn params(&self, db: &str) -> String {
        format!(
            "host=127.0.0.1 port={} user=postgres dbname={db}",
            self.port
        )
    }

    /// Creates database `name`.
    pub fn create_database(&self, name: &str) -> Result<()> {
        run(Command::new(self.bin.join("createdb"))
            .args(["-h", "127.0.0.1", "-U", "postgres", "-p"])
            .arg(self.port.to_string())
            .arg(name))
        .map(drop)
    }

    /// Stops the server: `immediate` kills it (SIGQUIT) as a crash or an
    /// operator would, otherwise a fast shutdown (SIGINT). Waits at most
    /// 30 s; stopping twice does nothing.
    pub fn stop(&mut self, immediate: bool) {
        if let Some(mut control) = self.control.take() {
            let mode = if immediate { "immediate\n" } else { "fast\n" };
            let _ = control.write_all(mode.as_bytes());
        }
        let deadline = Instant::now() + Duration::from_secs(30);
        while matches!(self.shell.try_wait(), Ok(None)) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.shell.kill();
        let _ = self.shell.wait();
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        self.stop(false);
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
