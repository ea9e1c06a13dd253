//! TLS configuration: certificates from PEM files, or a generated
//! self-signed one; rustls with the ring provider.

use std::path::Path;
use std::sync::Arc;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use rustls::ServerConfig;
use thiserror::Error;

/// A TLS configuration could not be built.
#[derive(Debug, Error)]
pub enum TlsError {
    /// A PEM file could not be read or holds no usable item.
    #[error("cannot read {what} from {path}: {source}; give a PEM file")]
    Pem {
        /// `"certificate"` or `"private key"`.
        what: &'static str,
        /// The file.
        path: String,
        /// Why.
        #[source]
        source: rustls::pki_types::pem::Error,
    },
    /// The certificate and key do not form a usable identity.
    #[error("the certificate or key is not usable: {0}")]
    Rustls(#[from] rustls::Error),
    /// A self-signed certificate could not be generated.
    #[error("cannot generate a self-signed certificate: {0}")]
    Generate(#[from] rcgen::Error),
}

/// A server certificate chain and its private key.
#[derive(Debug)]
pub struct Identity {
    chain: Vec<CertificateDer<'static>>,
    key: PrivateKeyDer<'static>,
    /// The certificate in PEM, for a generated one (so a test client can trust it).
    cert_pem: Option<String>,
    /// The private key in PEM, for a generated one (so it can be kept).
    key_pem: Option<String>,
}

impl Identity {
    /// Reads a certificate chain and a private key (PKCS#8, PKCS#1 or SEC1) from PEM files.
    ///
    /// # Errors
    /// Returns [`TlsError::Pem`] naming the file that is missing or holds nothing usable.
    pub fn from_pem_files(cert: &Path, key: &Path) -> Result<Self, TlsError> {
        let pem_error = |what, path: &Path| {
            let path = path.display().to_string();
            move |source| TlsError::Pem { what, path, source }
        };
        let chain = CertificateDer::pem_file_iter(cert)
            .map_err(pem_error("certificate", cert))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(pem_error("certificate", cert))?;
        if chain.is_empty() {
            return Err(pem_error("certificate", cert)(
                rustls::pki_types::pem::Error::NoItemsFound,
            ));
        }
        let key = PrivateKeyDer::from_pem_file(key).map_err(pem_error("private key", key))?;
        Ok(Self {
            chain,
            key,
            cert_pem: None,
            key_pem: None,
        })
    }

    /// Generates a self-signed certificate for `names` (DNS names or IP addresses).
    ///
    /// # Errors
    /// Returns [`TlsError::Generate`] when a name is not usable in a certificate.
    pub fn self_signed(names: &[&str]) -> Result<Self, TlsError> {
        let names = names.iter().map(|n| n.to_string()).collect::<Vec<_>>();
        let certified = rcgen::generate_simple_self_signed(names)?;
        let key = PrivatePkcs8KeyDer::from(certified.key_pair.serialize_der());
        Ok(Self {
            chain: vec![certified.cert.der().clone()],
            key: PrivateKeyDer::Pkcs8(key),
            cert_pem: Some(certified.cert.pem()),
            key_pem: Some(certified.key_pair.serialize_pem()),
        })
    }

    /// The certificate in PEM when it was generated here.
    pub fn generated_cert_pem(&self) -> Option<&str> {
        self.cert_pem.as_deref()
    }

    /// The private key in PEM when it was generated here, to store it
    /// (with the certificate) for the next start.
    pub fn generated_key_pem(&self) -> Option<&str> {
        self.key_pem.as_deref()
    }

    /// A rustls server configuration for this identity (ring provider, TLS 1.2 and 1.3).
    ///
    /// # Errors
    /// Returns [`TlsError::Rustls`] when the key does not match the certificate
    /// or is of an unsupported kind.
    pub fn server_config(&self) -> Result<Arc<ServerConfig>, TlsError> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()?
            .with_no_client_auth()
            .with_single_cert(self.chain.clone(), self.key.clone_key())?;
        Ok(Arc::new(config))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn self_signed_builds_a_config() {
        let identity = Identity::self_signed(&["localhost", "127.0.0.1"]).unwrap();
        assert!(identity
            .generated_cert_pem()
            .unwrap()
            .starts_with("-----BEGIN CERTIFICATE-----"));
        identity.server_config().unwrap();
    }

    #[test]
    fn missing_pem_file_names_it() {
        let err = Identity::from_pem_files(
            Path::new("/nonexistent/c.pem"),
            Path::new("/nonexistent/k.pem"),
        )
        .unwrap_err();
        assert!(err.to_string().contains("/nonexistent/c.pem"), "{err}");
    }
}
