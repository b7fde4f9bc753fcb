//! TLS with client certificates (feature `tls`), for StackQL servers
//! started with TLS (`--pgsrv.tls`); with client CAs configured, such a
//! server refuses clients without a certificate it trusts.

use std::sync::Arc;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio_postgres_rustls::MakeRustlsConnect;

use super::{describe, Error, Result};

/// The certificates to connect with: the CA that signed the server's
/// certificate and, for mutual TLS, the client's certificate and key, all
/// PEM. The server's certificate must name the host connected to (a DNS
/// name or, for `host=127.0.0.1`, an IP address).
#[derive(Clone)]
pub struct TlsOptions {
    roots: Vec<CertificateDer<'static>>,
    client: Option<(Vec<CertificateDer<'static>>, Arc<PrivateKeyDer<'static>>)>,
}

impl std::fmt::Debug for TlsOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TlsOptions")
            .field("roots", &self.roots.len())
            .field("client_certificate", &self.client.is_some())
            .finish()
    }
}

fn certificates(pem: &[u8], what: &str) -> Result<Vec<CertificateDer<'static>>> {
    let certs = CertificateDer::pem_slice_iter(pem)
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(|e| Error::Tls {
            cause: format!("cannot read the {what} (PEM): {e}"),
        })?;
    if certs.is_empty() {
        return Err(Error::Tls {
            cause: format!("the {what} holds no PEM certificate"),
        });
    }
    Ok(certs)
}

fn read(path: &std::path::Path, what: &str) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| Error::Tls {
        cause: format!("cannot read the {what} {}: {e}", path.display()),
    })
}

impl TlsOptions {
    /// Trusts the CA certificate(s) in `ca_pem` for the server's
    /// certificate.
    pub fn new(ca_pem: &[u8]) -> Result<Self> {
        Ok(TlsOptions {
            roots: certificates(ca_pem, "CA certificate")?,
            client: None,
        })
    }

    /// [`TlsOptions::new`] from a file.
    pub fn from_ca_file(path: impl AsRef<std::path::Path>) -> Result<Self> {
        TlsOptions::new(&read(path.as_ref(), "CA certificate")?)
    }

    /// Presents the certificate chain `cert_pem` (the client's certificate
    /// first) with its private key `key_pem` (PKCS#8, PKCS#1 or SEC1).
    pub fn client_certificate(mut self, cert_pem: &[u8], key_pem: &[u8]) -> Result<Self> {
        let chain = certificates(cert_pem, "client certificate")?;
        let key = PrivateKeyDer::from_pem_slice(key_pem).map_err(|e| Error::Tls {
            cause: format!("cannot read the client key (PEM): {e}"),
        })?;
        self.client = Some((chain, Arc::new(key)));
        Ok(self)
    }

    /// [`TlsOptions::client_certificate`] from files.
    pub fn client_certificate_files(
        self,
        cert: impl AsRef<std::path::Path>,
        key: impl AsRef<std::path::Path>,
    ) -> Result<Self> {
        let cert = read(cert.as_ref(), "client certificate")?;
        let key = read(key.as_ref(), "client key")?;
        self.client_certificate(&cert, &key)
    }

    /// The rustls connector (ring provider).
    pub(super) fn connector(&self) -> Result<MakeRustlsConnect> {
        let tls_error = |e: rustls::Error| Error::Tls {
            cause: describe(&e),
        };
        let mut roots = rustls::RootCertStore::empty();
        for cert in &self.roots {
            roots.add(cert.clone()).map_err(tls_error)?;
        }
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let builder = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(tls_error)?
            .with_root_certificates(roots);
        let config = match &self.client {
            Some((chain, key)) => builder
                .with_client_auth_cert(chain.clone(), key.clone_key())
                .map_err(tls_error)?,
            None => builder.with_no_client_auth(),
        };
        Ok(MakeRustlsConnect::new(config))
    }
}

/// Whether a connect error comes from TLS: the handshake (rustls) or a
/// server that does not offer TLS.
pub(super) fn is_tls_error(e: &tokio_postgres::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(s) = source {
        if s.is::<rustls::Error>()
            || s.downcast_ref::<std::io::Error>()
                .and_then(|io| io.get_ref())
                .is_some_and(|inner| inner.is::<rustls::Error>())
        {
            return true;
        }
        source = s.source();
    }
    e.to_string().contains("TLS")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unreadable_pem_is_a_tls_error_naming_the_file() {
        let err = TlsOptions::new(b"not a certificate").unwrap_err();
        assert!(err.to_string().contains("CA certificate"), "{err}");
        let err = TlsOptions::from_ca_file("/nonexistent/ca.pem").unwrap_err();
        assert!(err.to_string().contains("/nonexistent/ca.pem"), "{err}");
    }
}
