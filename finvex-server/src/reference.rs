//! `GET /docs`: the API reference, rendered on the server from the OpenAPI
//! document into one self-contained HTML page: no script, no font, no
//! request to anywhere else, so it works with no internet access (and a
//! strict Content-Security-Policy holds it to that).

use std::fmt::Write;

use serde_json::Value;

/// The policy the page is served with: its own inline styles, nothing else.
pub const CONTENT_SECURITY_POLICY: &str =
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const STYLE: &str = "body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#1d2430}\
header{background:#14213d;color:#fff;padding:1.2em 2em}header h1{margin:0;font-size:1.5em}\
nav{padding:.6em 2em;background:#f3f5f9;border-bottom:1px solid #dde3ec}nav a{margin-right:1em;color:#14213d}\
main{padding:0 2em 3em;max-width:70em}h2{margin-top:2em;border-bottom:2px solid #dde3ec;text-transform:capitalize}\
section.op{border:1px solid #dde3ec;border-radius:6px;padding:.4em 1em 1em;margin:1em 0}\
.method{display:inline-block;min-width:4.5em;font-weight:700;font-family:monospace}\
.get{color:#1a7f37}.post{color:#0550ae}.put{color:#9a6700}.delete{color:#cf222e}\
code,pre{font-family:ui-monospace,monospace;font-size:.92em}pre{background:#f6f8fa;padding:.8em;overflow:auto}\
table{border-collapse:collapse;margin:.4em 0}td,th{border:1px solid #dde3ec;padding:.25em .6em;text-align:left;vertical-align:top}\
.muted{color:#57606a}";

/// The whole page for `document`.
pub fn render(document: &Value) -> String {
    let mut page = String::with_capacity(64 * 1024);
    let info = &document["info"];
    let _ = write!(
        page,
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
         <title>{title} reference</title><style>{STYLE}</style></head><body>\
         <header><h1>{title}</h1><div>Version {version} · <a style=\"color:#fff\" href=\"/v1/openapi.json\">openapi.json</a></div></header>",
        title = escape(info["title"].as_str().unwrap_or("API")),
        version = escape(info["version"].as_str().unwrap_or("")),
    );
    let groups = operations_by_tag(document);
    page.push_str("<nav>");
    for (tag, _) in &groups {
        let _ = write!(page, "<a href=\"#{0}\">{0}</a>", escape(tag));
    }
    page.push_str("</nav><main>");
    let _ = write!(
        page,
        "<p>{}</p>",
        escape(info["description"].as_str().unwrap_or(""))
    );
    for (tag, operations) in &groups {
        let _ = write!(
            page,
            "<div class=\"tag\" id=\"{0}\"><h2>{0}</h2>",
            escape(tag)
        );
        for (path, method, op) in operations {
            operation(&mut page, document, path, method, op);
        }
        page.push_str("</div>");
    }
    page.push_str("</main></body></html>");
    page
}

type Operation<'a> = (&'a str, &'a str, &'a Value);

/// Operations grouped by their first tag, in the document's order.
fn operations_by_tag(document: &Value) -> Vec<(String, Vec<Operation<'_>>)> {
    let mut groups: Vec<(String, Vec<Operation<'_>>)> = Vec::new();
    let Some(paths) = document["paths"].as_object() else {
        return groups;
    };
    for (path, item) in paths {
        for (method, op) in item.as_object().into_iter().flatten() {
            let tag = op["tags"][0].as_str().unwrap_or("other").to_string();
            match groups.iter_mut().find(|(t, _)| *t == tag) {
                Some((_, ops)) => ops.push((path, method, op)),
                None => groups.push((tag, vec![(path, method, op)])),
            }
        }
    }
    groups
}

fn operation(page: &mut String, document: &Value, path: &str, method: &str, op: &Value) {
    let _ = write!(
        page,
        "<section class=\"op\" id=\"{id}\"><h3><span class=\"method {method}\">{upper}</span> <code>{path}</code></h3>\
         <p><strong>{summary}</strong></p><p class=\"muted\">{description}</p>",
        id = escape(op["operationId"].as_str().unwrap_or("")),
        upper = method.to_ascii_uppercase(),
        path = escape(path),
        summary = escape(op["summary"].as_str().unwrap_or("")),
        description = escape(op["description"].as_str().unwrap_or("")),
    );
    if let Some(parameters) = op["parameters"].as_array() {
        page.push_str("<h4>Parameters</h4><table><tr><th>name</th><th>in</th><th>type</th><th>required</th></tr>");
        for p in parameters {
            let _ = write!(
                page,
                "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(p["name"].as_str().unwrap_or("")),
                escape(p["in"].as_str().unwrap_or("")),
                escape(&type_of(&p["schema"])),
                if p["required"] == true { "yes" } else { "no" }
            );
        }
        page.push_str("</table>");
    }
    let body = &op["requestBody"]["content"]["application/json"];
    if body.is_object() {
        page.push_str("<h4>Request body</h4>");
        schema_table(page, document, &body["schema"]);
        if !body["example"].is_null() {
            let pretty = serde_json::to_string_pretty(&body["example"]).unwrap_or_default();
            let _ = write!(page, "<pre>{}</pre>", escape(&pretty));
        }
    }
    responses(page, document, op);
    page.push_str("</section>");
}

fn responses(page: &mut String, document: &Value, op: &Value) {
    let Some(responses) = op["responses"].as_object() else {
        return;
    };
    let (errors, successes): (Vec<_>, Vec<_>) = responses
        .iter()
        .partition(|(status, _)| !status.starts_with('2'));
    for (status, response) in successes {
        let schema = &response["content"]["application/json"]["schema"];
        let _ = write!(
            page,
            "<h4>Response {}: {}</h4>",
            escape(status),
            escape(&type_of(schema))
        );
        schema_table(page, document, schema);
    }
    let codes: Vec<&str> = errors.iter().map(|(s, _)| s.as_str()).collect();
    let _ = write!(
        page,
        "<p class=\"muted\">Errors ({}): <code>{{\"error\": {{\"code\", \"message\", \"field\"}}}}</code></p>",
        codes.join(", ")
    );
}

/// An object schema's properties as a table (a `$ref` followed once).
fn schema_table(page: &mut String, document: &Value, schema: &Value) {
    let resolved = resolve(document, schema);
    let Some(properties) = resolved["properties"].as_object() else {
        return;
    };
    let required: Vec<&str> = resolved["required"]
        .as_array()
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    page.push_str(
        "<table><tr><th>field</th><th>type</th><th>required</th><th>description</th></tr>",
    );
    for (name, property) in properties {
        let _ = write!(
            page,
            "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(name),
            escape(&type_of(property)),
            if required.contains(&name.as_str()) {
                "yes"
            } else {
                "no"
            },
            escape(property["description"].as_str().unwrap_or(""))
        );
    }
    page.push_str("</table>");
}

fn resolve<'a>(document: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str() {
        Some(reference) => document
            .pointer(reference.trim_start_matches('#'))
            .unwrap_or(schema),
        None => schema,
    }
}

/// A short name for a schema's type: its reference, its type(s), or a union.
fn type_of(schema: &Value) -> String {
    if let Some(reference) = schema["$ref"].as_str() {
        return reference
            .rsplit('/')
            .next()
            .unwrap_or(reference)
            .to_string();
    }
    if let Some(options) = schema["anyOf"].as_array().or(schema["oneOf"].as_array()) {
        return options.iter().map(type_of).collect::<Vec<_>>().join(" | ");
    }
    if let Some(values) = schema["enum"].as_array() {
        return values
            .iter()
            .map(|v| v.to_string())
            .collect::<Vec<_>>()
            .join(" | ");
    }
    match &schema["type"] {
        Value::String(t) if t == "array" => format!("array of {}", type_of(&schema["items"])),
        Value::String(t) => t.clone(),
        Value::Array(types) => types
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(" | "),
        _ => "any".to_string(),
    }
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_lists_every_operation_and_escapes_what_it_shows() {
        let document = crate::openapi::document();
        let page = render(document);
        assert!(page.contains("<code>/v1/orders</code>"));
        assert!(page.contains("Create an order"));
        let operations: usize = document["paths"]
            .as_object()
            .unwrap()
            .values()
            .map(|item| item.as_object().unwrap().len())
            .sum();
        assert_eq!(page.matches("<section class=\"op\"").count(), operations);
        assert!(!page.contains("<script"), "no script, so nothing to load");
        // Nothing to fetch: no link, image or frame; links stay on this origin.
        for tag in ["<link", "<img", "<iframe", "src=", "href=\"http"] {
            assert!(!page.contains(tag), "{tag} in the page");
        }
        assert_eq!(
            escape("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }
}
