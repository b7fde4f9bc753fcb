//! The grammar of a policy request: `provider.service.resource:operation`.

use super::Error;

/// One parsed `OP` argument.
#[derive(Debug)]
pub(crate) struct Request<'a> {
    /// The argument as given.
    pub(crate) arg: &'a str,
    pub(crate) provider: &'a str,
    pub(crate) service: &'a str,
    pub(crate) resource: &'a str,
    /// The operation or method name.
    pub(crate) what: &'a str,
}

impl<'a> Request<'a> {
    /// Parses `provider.service.resource:operation` (each part trimmed, none
    /// empty).
    pub(crate) fn parse(arg: &'a str) -> Result<Request<'a>, Error> {
        let usage = || Error::Usage {
            arg: arg.to_string(),
        };
        let (id, what) = arg.split_once(':').ok_or_else(usage)?;
        let parts: Vec<&str> = id.split('.').map(str::trim).collect();
        let what = what.trim();
        match parts.as_slice() {
            [p, s, r] if !p.is_empty() && !s.is_empty() && !r.is_empty() && !what.is_empty() => {
                Ok(Request {
                    arg,
                    provider: p,
                    service: s,
                    resource: r,
                    what,
                })
            }
            _ => Err(usage()),
        }
    }

    /// `provider.service.resource`.
    pub(crate) fn id(&self) -> String {
        format!("{}.{}.{}", self.provider, self.service, self.resource)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_trimmed_and_required() {
        let r = Request::parse(" aws . s3.buckets : create ").unwrap();
        assert_eq!(r.id(), "aws.s3.buckets");
        assert_eq!(r.what, "create");
        for bad in [
            "aws.connect:list",
            "nocolon",
            "a.b.c:",
            ".b.c:list",
            "a.b.c.d:list",
        ] {
            let e = Request::parse(bad).unwrap_err().to_string();
            assert!(
                e.starts_with(&format!(
                    "`{bad}`: expected `provider.service.resource:operation`"
                )),
                "{e}"
            );
        }
    }
}
