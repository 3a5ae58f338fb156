//! Rewrites of progenitor's output that make each generated call cheaper, done on its syntax tree with
//! `syn` visitors. Each one counts what it rewrote against what it expected and fails the build when
//! progenitor's output no longer has the shape it knows, so a changed generator is caught here rather
//! than at run time.
//!
//! What each one saves is measured by building without it (`KICKRS_SKIP_REWRITES=url`, `decode` or
//! `api-version`) and counting instructions per call: `bench/rewrite-counts.sh`. On 2026-12-02, per
//! `fetch_channel` call (62,556 with all three): `url` saves 4,819, `api-version` 3,233, `decode` 4,067
//! (its decoder also reads a UTF-8 answer as text).

use syn::visit::{self, Visit};
use syn::visit_mut::{self, VisitMut};
use syn::{Expr, ExprCall, ExprMethodCall, Lit, Local, Pat, Stmt, parse_quote};

use super::BuildResult;

/// Lists rewrites to leave out (comma-separated names), for measuring what each one saves.
pub const SKIP_ENV: &str = "KICKRS_SKIP_REWRITES";

/// The rewrites applied to progenitor's output, formatted.
pub fn all(mut file: syn::File, skip: &str) -> BuildResult<String> {
    let skipped = |name: &str| skip.split(',').any(|s| s.trim() == name);
    if !skipped("api-version") {
        without_api_version_header(&mut file)?;
    }
    if !skipped("url") {
        requests_from_parsed_base(&mut file)?;
    }
    if !skipped("decode") {
        decoding_without_header_copy(&mut file)?;
    }
    null_lists_read_as_empty(&mut file)?;
    error_reexported_as_raw_error(&mut file)?;
    Ok(prettyplease::unparse(&file))
}

/// progenitor hands reqwest each call's URL as a string (`let url = format!("{}/public/v1/...",
/// self.baseurl)` then `self.client.get(url)`), which reqwest parses in full, scheme and host (with IDNA
/// processing) included: the most costly step of building a request. The calls go through
/// `Core::request` instead, which sets the path on the base URL parsed once.
pub fn requests_from_parsed_base(file: &mut syn::File) -> BuildResult<()> {
    struct Requests {
        urls: usize,
        rewritten: usize,
    }
    impl VisitMut for Requests {
        fn visit_local_mut(&mut self, local: &mut Local) {
            let formats_url = matches!(&local.pat, Pat::Ident(p) if p.ident == "url")
                && matches!(local.init.as_ref().map(|i| &*i.expr), Some(Expr::Macro(m)) if m.mac.path.is_ident("format"));
            self.urls += usize::from(formats_url);
            visit_mut::visit_local_mut(self, local);
        }
        fn visit_expr_method_call_mut(&mut self, call: &mut ExprMethodCall) {
            visit_mut::visit_expr_method_call_mut(self, call);
            let verb = call.method.to_string();
            let on_self_client = matches!(&*call.receiver, Expr::Field(f)
                if is_path(&f.base, "self") && matches!(&f.member, syn::Member::Named(m) if m == "client"));
            let url_arg = call.args.len() == 1 && is_path(&call.args[0], "url");
            if on_self_client && url_arg && ["get", "post", "put", "patch", "delete"].contains(&verb.as_str()) {
                let method = syn::Ident::new(&verb.to_uppercase(), call.method.span());
                *call = parse_quote!(self.inner.request(&self.client, ::reqwest::Method::#method, url));
                self.rewritten += 1;
            }
        }
    }
    let mut visitor = Requests { urls: 0, rewritten: 0 };
    visitor.visit_file_mut(file);
    if visitor.urls == 0 || visitor.rewritten != visitor.urls {
        return Err(format!(
            "progenitor builds {} request URLs but build/rewrite.rs recognised {} request builders: \
             update `requests_from_parsed_base`",
            visitor.urls, visitor.rewritten
        ));
    }
    Ok(())
}

/// progenitor decodes an answer with `ResponseValue::from_response`, which copies the response's header
/// map before reading the body; `crate::client::decode::response_value` moves it out instead (same
/// result, same errors), caps the answer's size and, given the client's state and the operation's
/// `info`, notes what a facade call's error names.
pub fn decoding_without_header_copy(file: &mut syn::File) -> BuildResult<()> {
    struct Decoding(usize);
    impl VisitMut for Decoding {
        fn visit_expr_call_mut(&mut self, call: &mut ExprCall) {
            visit_mut::visit_expr_call_mut(self, call);
            if let Expr::Path(path) = &*call.func {
                let names: Vec<String> = path.path.segments.iter().map(|s| s.ident.to_string()).collect();
                if names == ["ResponseValue", "from_response"] && call.args.len() == 1 {
                    *call.func = parse_quote!(crate::client::decode::response_value);
                    let response = call.args[0].clone();
                    call.args = parse_quote!(&self.inner, &info, #response);
                    self.0 += 1;
                }
            }
        }
    }
    let mut visitor = Decoding(0);
    visitor.visit_file_mut(file);
    if visitor.0 == 0 {
        return Err("progenitor no longer decodes with `ResponseValue::from_response(response)`: \
                    update `decoding_without_header_copy`"
            .into());
    }
    Ok(())
}

/// Kick sends `null` for empty lists (`"tags": null`), which a `Vec` field refuses, failing a whole page.
/// Every list field of every generated model reads `null` as empty (`crate::models::null_as_empty`): one
/// rule for all, applied here rather than field by field. Not skippable: it is about correctness.
pub fn null_lists_read_as_empty(file: &mut syn::File) -> BuildResult<()> {
    struct Lists(usize);
    impl VisitMut for Lists {
        fn visit_item_struct_mut(&mut self, item: &mut syn::ItemStruct) {
            if let syn::Fields::Named(fields) = &mut item.fields {
                for field in &mut fields.named {
                    let is_vec = matches!(&field.ty, syn::Type::Path(path)
                        if path.qself.is_none() && path.path.segments.last().is_some_and(|s| s.ident == "Vec"));
                    if is_vec {
                        field.attrs.push(parse_quote!(#[serde(deserialize_with = "crate::models::null_as_empty")]));
                        self.0 += 1;
                    }
                }
            }
            visit_mut::visit_item_struct_mut(self, item);
        }
    }
    let mut visitor = Lists(0);
    visitor.visit_file_mut(file);
    if visitor.0 == 0 {
        return Err("progenitor's models have no `Vec` field build/rewrite.rs recognises: \
                    update `null_lists_read_as_empty`"
            .into());
    }
    Ok(())
}

/// progenitor re-exports its error type as `raw::Error`, a second public `Error` beside `kickrs::Error`.
/// It is re-exported as `raw::RawError` instead (one name, one type); the generated code keeps calling it
/// `Error` through a private import. Not skippable: it is about the public API.
pub fn error_reexported_as_raw_error(file: &mut syn::File) -> BuildResult<()> {
    let mut renamed = 0;
    for item in &mut file.items {
        let syn::Item::Use(item) = item else { continue };
        if !matches!(item.vis, syn::Visibility::Public(_)) {
            continue;
        }
        let syn::UseTree::Path(path) = &mut item.tree else { continue };
        let syn::UseTree::Group(group) = path.tree.as_mut() else { continue };
        if path.ident != "progenitor_client" {
            continue;
        }
        for tree in &mut group.items {
            if matches!(tree, syn::UseTree::Name(name) if name.ident == "Error") {
                *tree = parse_quote!(Error as RawError);
                renamed += 1;
            }
        }
    }
    if renamed != 1 {
        return Err("progenitor no longer re-exports `progenitor_client::{.., Error, ..}` once: \
                    update `error_reexported_as_raw_error`"
            .into());
    }
    let private_import: syn::Item = parse_quote!(
        use progenitor_client::Error;
    );
    file.items.insert(0, private_import);
    Ok(())
}

/// progenitor builds an `api-version: <info.version>` header map on every call (there is no setting to
/// turn it off) and Kick defines no such header: dropping it spares each call a map allocated, merged
/// into the request and removed again. A progenitor that emits it in another shape fails the build, so
/// the header never reaches Kick unnoticed.
pub fn without_api_version_header(file: &mut syn::File) -> BuildResult<()> {
    struct Header {
        builds: usize,
        uses: usize,
    }
    impl VisitMut for Header {
        fn visit_block_mut(&mut self, block: &mut syn::Block) {
            // `let mut header_map = HeaderMap::with_capacity(1usize);` then its one `append` of api-version.
            let at =
                block.stmts.windows(2).position(|pair| declares_header_map(&pair[0]) && appends_api_version(&pair[1]));
            if let Some(at) = at {
                block.stmts.drain(at..at + 2);
                self.builds += 1;
            }
            visit_mut::visit_block_mut(self, block);
        }
        fn visit_expr_mut(&mut self, expr: &mut Expr) {
            if let Expr::MethodCall(call) = expr
                && call.method == "headers"
                && call.args.len() == 1
                && is_path(&call.args[0], "header_map")
            {
                *expr = (*call.receiver).clone();
                self.uses += 1;
            }
            visit_mut::visit_expr_mut(self, expr);
        }
    }
    /// Whatever is left of the header map or the header name after the rewrite.
    struct Leftover(usize);
    impl<'a> Visit<'a> for Leftover {
        fn visit_ident(&mut self, ident: &'a syn::Ident) {
            self.0 += usize::from(ident == "header_map");
        }
        fn visit_lit(&mut self, lit: &'a Lit) {
            self.0 += usize::from(matches!(lit, Lit::Str(s) if s.value() == "api-version"));
            visit::visit_lit(self, lit);
        }
    }
    let mentions = |file: &syn::File| {
        let mut leftover = Leftover(0);
        leftover.visit_file(file);
        leftover.0
    };
    if mentions(file) == 0 {
        return Ok(()); // progenitor stopped sending it
    }
    let mut visitor = Header { builds: 0, uses: 0 };
    visitor.visit_file_mut(file);
    if visitor.builds == 0 || visitor.uses != visitor.builds || mentions(file) != 0 {
        return Err(format!(
            "progenitor emits the `api-version` header in a shape build/rewrite.rs does not know \
             ({} maps built, {} used): update `without_api_version_header`",
            visitor.builds, visitor.uses
        ));
    }
    Ok(())
}

fn declares_header_map(stmt: &Stmt) -> bool {
    let Stmt::Local(local) = stmt else { return false };
    let named = matches!(&local.pat, Pat::Ident(p) if p.ident == "header_map");
    let capacity_one = matches!(local.init.as_ref().map(|i| &*i.expr), Some(Expr::Call(call))
        if ends_with(&call.func, "with_capacity")
            && matches!(call.args.first(), Some(Expr::Lit(l)) if matches!(&l.lit, Lit::Int(i) if i.base10_digits() == "1")));
    named && capacity_one
}

fn appends_api_version(stmt: &Stmt) -> bool {
    let Stmt::Expr(Expr::MethodCall(call), Some(_)) = stmt else { return false };
    let name_is_api_version = matches!(call.args.first(), Some(Expr::Call(name))
        if matches!(name.args.first(), Some(Expr::Lit(l)) if matches!(&l.lit, Lit::Str(s) if s.value() == "api-version")));
    is_path(&call.receiver, "header_map") && call.method == "append" && name_is_api_version
}

fn is_path(expr: &Expr, name: &str) -> bool {
    matches!(expr, Expr::Path(p) if p.path.is_ident(name))
}

fn ends_with(expr: &Expr, name: &str) -> bool {
    matches!(expr, Expr::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == name))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One operation as progenitor 0.15 emits it (trimmed to what the rewrites touch).
    fn operation() -> syn::File {
        parse_quote! {
            pub use progenitor_client::{ByteStream, ClientInfo, Error, ResponseValue};
            pub struct UsersPage {
                pub data: Vec<User>,
                pub message: String,
            }
            impl Client {
                pub async fn fetch_user<'a>(&'a self, id: i64) -> Result<ResponseValue<User>, Error<()>> {
                    let url = format!("{}/public/v1/users/{}", self.baseurl, id);
                    let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
                    header_map.append(
                        ::reqwest::header::HeaderName::from_static("api-version"),
                        ::reqwest::header::HeaderValue::from_static(Self::api_version()),
                    );
                    #[allow(unused_mut)]
                    let mut request = self.client.get(url).header(::reqwest::header::ACCEPT, "application/json").headers(header_map).build()?;
                    let response = self.exec(request, &info).await?;
                    match response.status().as_u16() {
                        200u16 => ResponseValue::from_response(response).await,
                        _ => Err(Error::UnexpectedResponse(response)),
                    }
                }
            }
        }
    }

    /// The formatted output without whitespace (prettyplease decides the line breaks).
    fn rewritten(skip: &str) -> String {
        all(operation(), skip).unwrap().chars().filter(|c| !c.is_whitespace()).collect()
    }

    #[test]
    fn each_rewrite_changes_its_own_part_only() {
        let code = rewritten("");
        assert!(code.contains("self.inner.request(&self.client,::reqwest::Method::GET,url)"), "{code}");
        assert!(code.contains("crate::client::decode::response_value(&self.inner,&info,response).await"), "{code}");
        assert!(!code.contains("header_map") && !code.contains("api-version"), "{code}");
        assert!(code.contains(".header(::reqwest::header::ACCEPT,\"application/json\").build()?"), "{code}");
        let null_list = "#[serde(deserialize_with=\"crate::models::null_as_empty\")]pubdata:Vec<User>";
        assert!(code.contains(null_list) && !code.contains("null_as_empty\")]pubmessage"), "{code}");
        assert!(code.starts_with("useprogenitor_client::Error;"), "{code}");
        assert!(
            code.contains("pubuseprogenitor_client::{ByteStream,ClientInfo,ErrorasRawError,ResponseValue};"),
            "{code}"
        );

        let untouched = rewritten("api-version,url,decode");
        assert!(untouched.contains("self.client.get(url)") && untouched.contains(".headers(header_map)"));
        assert!(untouched.contains("ResponseValue::from_response(response)"), "{untouched}");
    }

    #[test]
    fn a_request_builder_in_an_unknown_shape_fails_the_build() {
        let mut file = operation();
        let mut second: syn::File = parse_quote! {
            fn other(&self) { let url = format!("{}/x", self.baseurl); let r = self.client.request(GET, url); }
        };
        file.items.append(&mut second.items);
        let error = requests_from_parsed_base(&mut file).unwrap_err();
        assert!(error.contains("2 request URLs but build/rewrite.rs recognised 1"), "{error}");
    }

    #[test]
    fn an_api_version_header_in_an_unknown_shape_fails_the_build() {
        let mut file: syn::File = parse_quote! {
            fn call(&self) { let request = self.client.get(url).header("api-version", "1.0.0").build()?; }
        };
        let error = without_api_version_header(&mut file).unwrap_err();
        assert!(error.contains("0 maps built, 0 used"), "{error}");
    }

    #[test]
    fn decoding_in_another_shape_fails_the_build() {
        let mut file: syn::File = parse_quote! { fn f() { let v = ResponseValue::decode(response); } };
        assert!(decoding_without_header_copy(&mut file).unwrap_err().contains("decoding_without_header_copy"));
    }

    #[test]
    fn an_error_reexport_in_another_shape_fails_the_build() {
        let mut file: syn::File = parse_quote! { pub use progenitor_client::Error; };
        assert!(error_reexported_as_raw_error(&mut file).unwrap_err().contains("error_reexported_as_raw_error"));
    }
}
