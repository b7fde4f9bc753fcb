//! The crate's module tree: provider → service → resource modules, their
//! names (unique among siblings, decided in id order), files and features.

use super::{RProvider, RResource, RService};
use crate::ident::{self, Scope};

/// Names no provider module may take: the crate root re-exports the runtime
/// as `runtime`, and `lib` would be `src/lib.rs` (E0761 beside
/// `src/lib/mod.rs`).
const RESERVED_PROVIDERS: &[&str] = &["runtime", "lib"];

/// Names no service module may take: `mod` would be the provider's own
/// `mod.rs`.
const RESERVED_SERVICES: &[&str] = &["mod"];

/// Names no resource module may take: `mod` would be the service's own
/// `mod.rs`.
const RESERVED_RESOURCES: &[&str] = &["mod"];

/// Features every generated crate has (see `emit::modules`).
pub(crate) const RESERVED_FEATURES: &[&str] = &["default", "client", "blocking", "tls"];

/// Decides every module of the crate over `resources` (sorted by id), and
/// sets each resource's module, file and inception lints. Names come from
/// [`Scope`]s whose wire names that need no conversion keep them; provider
/// features are decided before service features, so a provider `aws-s3`
/// keeps its feature beside the service `aws/s3`.
pub(super) fn modules(resources: &mut [RResource]) -> Vec<RProvider> {
    let mut providers = Vec::new();
    let mut provider_names = Scope::with_reserved(RESERVED_PROVIDERS);
    // Each name once (the resources are sorted by id): telling whether a
    // name needs converting is not free.
    provider_names.hold_exact(
        resources
            .chunk_by(|a, b| a.res.id.provider == b.res.id.provider)
            .map(|of| of[0].res.id.provider.as_str()),
    );
    let mut features = Scope::with_reserved(RESERVED_FEATURES);
    let provider_features: Vec<String> = resources
        .chunk_by(|a, b| a.res.id.provider == b.res.id.provider)
        .map(|of| features.feature(&of[0].res.id.provider))
        .collect();
    let mut next = 0;
    let chunks = resources.chunk_by_mut(|a, b| a.res.id.provider == b.res.id.provider);
    for (of_provider, feature) in chunks.zip(provider_features) {
        let name = of_provider[0].res.id.provider.clone();
        let module = provider_names.snake(&name);
        let dir = format!("src/{}", ident::unraw(&module));
        let mut services = Vec::new();
        let mut service_names = Scope::with_reserved(RESERVED_SERVICES);
        service_names.hold_exact(
            of_provider
                .chunk_by(|a, b| a.res.id.service == b.res.id.service)
                .map(|of| of[0].res.id.service.as_str()),
        );
        for of_service in of_provider.chunk_by_mut(|a, b| a.res.id.service == b.res.id.service) {
            let service = of_service[0].res.id.service.clone();
            let mut s = RService {
                module: service_names.snake(&service),
                file: String::new(),
                feature: features.feature(&format!("{feature}-{service}")),
                name: service,
                resources: next..next + of_service.len(),
            };
            let dir = format!("{dir}/{}", ident::unraw(&s.module));
            s.file = format!("{dir}/mod.rs");
            let mut resource_names = Scope::with_reserved(RESERVED_RESOURCES);
            let snakes: Vec<String> = of_service
                .iter()
                .map(|r| ident::snake(&r.res.id.resource))
                .collect();
            resource_names.hold_exact_converted(
                of_service
                    .iter()
                    .zip(&snakes)
                    .map(|(r, s)| (r.res.id.resource.as_str(), s.as_str())),
            );
            for (r, snake) in of_service.iter_mut().zip(&snakes) {
                r.module = resource_names.snake_of(&r.res.id.resource, snake);
                let stem = ident::unraw(&r.module);
                r.file = format!("{dir}/{stem}.rs");
                r.inception.in_service = stem == ident::unraw(&s.module);
                r.inception.permissions = stem == "permissions";
                r.inception.methods = stem == "methods";
            }
            next = s.resources.end;
            services.push(s);
        }
        providers.push(RProvider {
            file: format!("{dir}/mod.rs"),
            name,
            module,
            feature,
            services,
        });
    }
    providers
}

#[cfg(test)]
mod tests {
    use crate::resolve::empty_resources;

    #[test]
    fn modules_are_unique_among_siblings_and_decided_in_id_order() {
        // Out of order on purpose: the tree is the same for any input order.
        let pages = empty_resources(
            "github.repos.repos p.s.foo_bar p.s.foo-bar runtime.type.mod p.s.permissions p.t.methods",
        );
        let krate = super::super::resolve(&pages, false, &mut Vec::new());
        let files: Vec<(&str, &str)> = krate
            .resources
            .iter()
            .map(|r| (r.module.as_str(), r.file.as_str()))
            .collect();
        assert_eq!(
            files,
            [
                ("repos", "src/github/repos/repos.rs"),
                // `foo-bar` sorts first, but `foo_bar` needs no conversion
                // and keeps its name.
                ("foo_bar_2", "src/p/s/foo_bar_2.rs"),
                ("foo_bar", "src/p/s/foo_bar.rs"),
                ("permissions", "src/p/s/permissions.rs"),
                ("methods", "src/p/t/methods.rs"),
                ("mod_2", "src/runtime_2/type/mod_2.rs"),
            ]
        );
        assert_eq!(krate.resources[1].res.id.resource, "foo-bar");
        let inception: Vec<(bool, bool, bool)> = krate
            .resources
            .iter()
            .map(|r| {
                let i = r.inception;
                (i.in_service, i.permissions, i.methods)
            })
            .collect();
        assert_eq!(
            inception,
            [
                (true, false, false),
                (false, false, false),
                (false, false, false),
                (false, true, false),
                (false, false, true),
                (false, false, false),
            ]
        );
        let runtime = &krate.providers[2];
        assert_eq!(
            (runtime.name.as_str(), runtime.module.as_str()),
            ("runtime", "runtime_2")
        );
        assert_eq!(runtime.file, "src/runtime_2/mod.rs");
        let ty = &runtime.services[0];
        assert_eq!(
            (ty.module.as_str(), ty.file.as_str(), ty.feature.as_str()),
            ("r#type", "src/runtime_2/type/mod.rs", "runtime-type")
        );
        let p = &krate.providers[1];
        let ranges: Vec<_> = p.services.iter().map(|s| s.resources.clone()).collect();
        assert_eq!(ranges, [1..4, 4..5]);
        assert!(ranges
            .iter()
            .flat_map(|r| krate.resources[r.clone()].iter())
            .all(|r| r.res.id.provider == "p"));
    }
}
