//! PostgreSQL objects on which generated statements run unchanged, as they
//! would against StackQL.
//!
//! Connected to database `aws`, `aws.connect.integration_associations`
//! resolves as catalog `aws`, schema `connect`, relation
//! `integration_associations`. That relation is a view over a table of
//! text columns (every column the resource's statements name, as StackQL
//! sends every value as text) joined with the regions seen so far, so that
//! a provider call can be emulated per region:
//!
//! - `INSERT` goes through an `INSTEAD OF` trigger that maps the property
//!   columns (`InstanceId`) to the row columns (`instance_id`) and fills
//!   `data__Identifier` from the identifier's parts;
//! - `DELETE` removes the rows its `WHERE` selects;
//! - a region named `denied-…` answers as StackQL does when the provider
//!   refuses: no rows, and a NOTICE whose Detail is
//!   `http response status code: 403, response body: …`;
//! - a region named `slow-…` takes 30 s, to stop the server mid-query;
//! - a region named `noisy-…` adds a notice that reports no failure.

/// The provider emulation every resource uses, run once per database.
pub const PROVIDER_SQL: &str = r#"
CREATE TABLE IF NOT EXISTS public.stackql_regions (region text PRIMARY KEY);
CREATE OR REPLACE FUNCTION public.stackql_provider(region text) RETURNS boolean
LANGUAGE plpgsql COST 10000 AS $$
BEGIN
  IF region LIKE 'denied-%' THEN
    RAISE NOTICE 'a notice level event has occurred' USING ERRCODE = '01000',
      DETAIL = 'http response status code: 403, response body: {"__type":"AccessDeniedException","Message":"User: arn:aws:iam::123456789012:user/test is not authorized to perform: cloudformation:ListResources"}';
    RETURN false;
  END IF;
  IF region LIKE 'slow-%' THEN
    PERFORM pg_sleep(30);
  END IF;
  IF region LIKE 'noisy-%' THEN
    RAISE NOTICE 'a notice level event has occurred' USING ERRCODE = '01000',
      DETAIL = 'paginating: 2 pages read';
  END IF;
  RETURN true;
END $$;
"#;

/// A resource to emulate.
#[derive(Debug, Clone)]
pub struct Resource {
    /// `aws.connect.integration_associations`.
    pub id: String,
    /// Every column the resource's statements name (selected, compared in
    /// `WHERE`, inserted), as written in them. Row columns are snake case
    /// (`instance_id`); an INSERT names the property (`InstanceId`), which
    /// PostgreSQL folds to the row column without underscores.
    pub columns: Vec<String>,
    /// The row columns whose values, joined by `|`, form
    /// `data__Identifier`, in order (`instance_id`, `integration_type`, ...).
    pub identifier: Vec<String>,
}

impl Resource {
    /// The SQL creating the schema, table, view and triggers (PostgreSQL
    /// folds unquoted names to lower case, as the statements leave them).
    pub fn sql(&self) -> String {
        let mut parts = self.id.splitn(3, '.');
        let (_catalog, schema, name) = (
            parts.next().unwrap_or_default(),
            parts.next().unwrap_or_default(),
            parts.next().unwrap_or_default(),
        );
        let mut columns: Vec<String> = self.columns.iter().map(|c| c.to_lowercase()).collect();
        columns.extend(["region".to_string(), "data__identifier".to_string()]);
        // Property columns fill the row columns named after them.
        let mut fill = String::new();
        for row in columns.clone() {
            if row.contains('_') && !row.starts_with("data__") {
                let property = row.replace('_', "");
                fill.push_str(&format!(
                    "  NEW.{row} := COALESCE(NEW.{row}, NEW.{property});\n"
                ));
                columns.push(property);
            }
        }
        columns.sort();
        columns.dedup();
        let table = format!("{schema}.{name}__rows");
        let view = format!("{schema}.{name}");
        let defs: Vec<String> = columns.iter().map(|c| format!("{c} text")).collect();
        let id_parts: Vec<String> = self.identifier.iter().map(|p| format!("NEW.{p}")).collect();
        format!(
            r#"
CREATE SCHEMA IF NOT EXISTS {schema};
CREATE TABLE {table} ({defs});
CREATE VIEW {view} AS
  SELECT r.* FROM public.stackql_regions g JOIN {table} r ON r.region = g.region
  WHERE public.stackql_provider(g.region);
CREATE FUNCTION {table}_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT public.stackql_provider(NEW.region) THEN RETURN NULL; END IF;
  INSERT INTO public.stackql_regions VALUES (NEW.region) ON CONFLICT DO NOTHING;
{fill}  NEW.data__identifier := concat_ws('|', {ids});
  INSERT INTO {table} SELECT NEW.*;
  RETURN NEW;
END $$;
CREATE TRIGGER insert_rows INSTEAD OF INSERT ON {view}
  FOR EACH ROW EXECUTE FUNCTION {table}_insert();
CREATE FUNCTION {table}_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM {table} WHERE data__identifier IS NOT DISTINCT FROM OLD.data__identifier
    AND region = OLD.region;
  RETURN OLD;
END $$;
CREATE TRIGGER delete_rows INSTEAD OF DELETE ON {view}
  FOR EACH ROW EXECUTE FUNCTION {table}_delete();
"#,
            defs = defs.join(", "),
            ids = id_parts.join(", "),
        )
    }
}
