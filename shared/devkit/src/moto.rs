//! A `moto_server` child process on a free loopback port, for tests and local development.
//! Stopped when dropped.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

#[derive(Debug, thiserror::Error)]
pub enum MotoError {
    #[error(
        "cannot start moto_server (install it with infra/setup.sh or `pip install 'moto[server]'`): {0}"
    )]
    Spawn(std::io::Error),
    #[error("moto_server did not listen on {0} within {1:?}")]
    NotReady(SocketAddr, Duration),
    #[error("no free port: {0}")]
    Port(std::io::Error),
}

pub struct MotoServer {
    child: Child,
    endpoint: String,
}

impl MotoServer {
    /// Starts `moto_server` (or `$MOTO_SERVER`) on 127.0.0.1 and waits until it accepts connections.
    pub fn start() -> Result<MotoServer, MotoError> {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(MotoError::Port)?
            .port();
        let program = std::env::var("MOTO_SERVER").unwrap_or_else(|_| "moto_server".into());
        let child = Command::new(program)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(MotoError::Spawn)?;
        let mut server = MotoServer {
            child,
            endpoint: format!("http://127.0.0.1:{port}"),
        };
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        let timeout = Duration::from_secs(60);
        let start = Instant::now();
        loop {
            if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
                return Ok(server);
            }
            if let Ok(Some(status)) = server.child.try_wait() {
                return Err(MotoError::Spawn(std::io::Error::other(format!(
                    "moto_server exited with {status}"
                ))));
            }
            if start.elapsed() > timeout {
                return Err(MotoError::NotReady(addr, timeout));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// `http://127.0.0.1:{port}`.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }
}

impl Drop for MotoServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
