//! Auto-pagination: a stream of items that fetches the next page as the consumer reads.

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use http::header::LINK;
use http::HeaderMap;
use serde::de::DeserializeOwned;

use crate::api::Api;
use crate::client::Client;
use crate::error::{Error, ErrorEnvelope};
use crate::options::RequestOptions;
use crate::request::Request;
use crate::response::Response;

/// Where the page after this one is, as a generated (or hand-written) `next` function says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NextPage {
    /// Query parameters to set on the request (each replaces every parameter of its name):
    /// a cursor (`after=obj_123`), an offset or a page number.
    Query(Vec<(String, String)>),
    /// The URL of the next page, absolute or relative to the current page (a `Link` header,
    /// see [`link_next`]). It must have the base URL's origin: another host is an error, never
    /// followed, so credentials stay with the API.
    Url(String),
}

/// The target of the `rel="next"` link in the `Link` headers (RFC 8288), if any.
///
/// Several headers and several comma-separated links are read; `rel` may be quoted, hold
/// several space-separated types, and is compared case-insensitively.
pub fn link_next(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(LINK)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(parse_links)
        .find(|link| {
            link.params.iter().any(|(name, value)| {
                name.eq_ignore_ascii_case("rel")
                    && value
                        .split_ascii_whitespace()
                        .any(|rel| rel.eq_ignore_ascii_case("next"))
            })
        })
        .map(|link| link.target.to_owned())
}

/// One link-value of a `Link` header: `<target>; name=value; name="value"`.
struct Link<'a> {
    target: &'a str,
    params: Vec<(&'a str, String)>,
}

/// Parse a `Link` header value; a malformed link is skipped up to the next top-level comma.
fn parse_links(text: &str) -> Vec<Link<'_>> {
    let bytes = text.as_bytes();
    let mut links = Vec::new();
    let mut i = 0;
    let skip_ws = |i: &mut usize| {
        while *i < bytes.len() && matches!(bytes[*i], b' ' | b'\t') {
            *i += 1;
        }
    };
    while i < bytes.len() {
        skip_ws(&mut i);
        if i < bytes.len() && bytes[i] == b',' {
            i += 1;
            continue;
        }
        let Some(target_len) = (bytes.get(i) == Some(&b'<'))
            .then(|| text[i + 1..].find('>'))
            .flatten()
        else {
            // Not a link: skip to the next top-level comma.
            i = skip_to_comma(bytes, i);
            continue;
        };
        let target = &text[i + 1..i + 1 + target_len];
        i += target_len + 2;
        let mut params = Vec::new();
        loop {
            skip_ws(&mut i);
            if i >= bytes.len() || bytes[i] == b',' {
                break;
            }
            if bytes[i] != b';' {
                i = skip_to_comma(bytes, i);
                break;
            }
            i += 1;
            skip_ws(&mut i);
            let start = i;
            while i < bytes.len() && !matches!(bytes[i], b'=' | b';' | b',' | b' ' | b'\t') {
                i += 1;
            }
            let name = &text[start..i];
            skip_ws(&mut i);
            let mut value = String::new();
            if i < bytes.len() && bytes[i] == b'=' {
                i += 1;
                skip_ws(&mut i);
                if i < bytes.len() && bytes[i] == b'"' {
                    i += 1;
                    while i < bytes.len() && bytes[i] != b'"' {
                        if bytes[i] == b'\\' && i + 1 < bytes.len() {
                            i += 1;
                        }
                        let ch = text[i..].chars().next().unwrap_or('\u{fffd}');
                        value.push(ch);
                        i += ch.len_utf8();
                    }
                    i += 1;
                } else {
                    let start = i;
                    while i < bytes.len() && !matches!(bytes[i], b';' | b',') {
                        i += 1;
                    }
                    value.push_str(text[start..i].trim());
                }
            }
            if !name.is_empty() {
                params.push((name, value));
            }
        }
        links.push(Link { target, params });
    }
    links
}

/// The index of the next comma outside quotes and angle brackets (or the end).
fn skip_to_comma(bytes: &[u8], mut i: usize) -> usize {
    let (mut quoted, mut angled) = (false, false);
    while i < bytes.len() {
        match bytes[i] {
            b'"' if !angled => quoted = !quoted,
            b'\\' if quoted => i += 1,
            b'<' if !quoted => angled = true,
            b'>' if !quoted => angled = false,
            b',' if !quoted && !angled => return i,
            _ => {}
        }
        i += 1;
    }
    bytes.len()
}

type ItemStream<'a, T, E> = Pin<Box<dyn Stream<Item = Result<T, Error<E>>> + Send + 'a>>;

/// The items of every page, in order, fetched one page at a time as they are read.
///
/// Nothing is sent before the first poll. An error (a failed page, a next URL of another
/// origin) is the last item; a page without a next page, or whose next page would repeat the
/// request just made, ends the stream.
pub struct Paginated<'a, T, E: ErrorEnvelope = serde_json::Value> {
    inner: ItemStream<'a, T, E>,
}

impl<T, E: ErrorEnvelope> Stream for Paginated<'_, T, E> {
    type Item = Result<T, Error<E>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

impl<T, E: ErrorEnvelope> fmt::Debug for Paginated<'_, T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Paginated").finish_non_exhaustive()
    }
}

struct Pages<'a, A: Api, N, I, T> {
    client: &'a Client<A>,
    request: Option<Request>,
    opts: RequestOptions,
    next: N,
    items: I,
    buffer: std::vec::IntoIter<T>,
    error: Option<Error<A::Envelope>>,
}

impl<A: Api> Client<A> {
    /// Auto-pagination: the items of `first` and of every page after it, as one stream.
    ///
    /// `next` reads a page's response (its body or its headers, e.g. with [`link_next`]) and
    /// says where the next page is; `items` takes the page's items out of its body. Pages are
    /// fetched as the consumer reads, each with the full send path (retries, hooks).
    pub fn paginate<'a, P, T>(
        &'a self,
        first: Request,
        opts: RequestOptions,
        next: impl FnMut(&Response<P>) -> Option<NextPage> + Send + 'a,
        items: impl FnMut(P) -> Vec<T> + Send + 'a,
    ) -> Paginated<'a, T, A::Envelope>
    where
        P: DeserializeOwned + Send + 'a,
        T: Send + 'a,
    {
        let pages = Pages {
            client: self,
            request: Some(first),
            opts,
            next,
            items,
            buffer: Vec::new().into_iter(),
            error: None,
        };
        let inner = futures_util::stream::unfold(pages, |mut pages| async move {
            loop {
                if let Some(item) = pages.buffer.next() {
                    return Some((Ok(item), pages));
                }
                if let Some(error) = pages.error.take() {
                    return Some((Err(error), pages));
                }
                let request = pages.request.take()?;
                let response = match pages
                    .client
                    .send_json::<P>(request.clone(), pages.opts.clone())
                    .await
                {
                    Ok(response) => response,
                    Err(error) => return Some((Err(error), pages)),
                };
                match (pages.next)(&response) {
                    None => {}
                    Some(next) => match pages.client.next_request(&request, next) {
                        Ok(next) => pages.request = next,
                        Err(error) => pages.error = Some(error),
                    },
                }
                pages.buffer = (pages.items)(response.into_value()).into_iter();
            }
        });
        Paginated {
            inner: Box::pin(inner),
        }
    }

    /// The request for the next page, `None` if it would repeat `current`.
    fn next_request(
        &self,
        current: &Request,
        next: NextPage,
    ) -> Result<Option<Request>, Error<A::Envelope>> {
        let mut request = current.clone();
        match next {
            NextPage::Query(pairs) => {
                for (name, value) in pairs {
                    request.set_query(&name, value);
                }
                Ok((request.query != current.query).then_some(request))
            }
            NextPage::Url(target) => {
                let base = &self.inner.base;
                let here = match &current.url {
                    Some(url) => url.clone(),
                    None => {
                        let mut url = base.join(&current.path).map_err(Error::invalid)?;
                        if !current.query.is_empty() {
                            url.query_pairs_mut().extend_pairs(
                                current.query.iter().map(|(n, v)| (&**n, v.as_str())),
                            );
                        }
                        url
                    }
                };
                let url = here
                    .join(&target)
                    .map_err(|e| Error::invalid(format!("invalid next-page URL: {e}")))?;
                if !base.same_origin(&url) {
                    return Err(Error::invalid(format!(
                        "the next page is on another origin ({}), not followed",
                        url.origin().ascii_serialization()
                    )));
                }
                if url == here {
                    return Ok(None);
                }
                request.query.clear();
                request.url = Some(url);
                Ok(Some(request))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn next_of(values: &[&'static str]) -> Option<String> {
        let mut headers = HeaderMap::new();
        for v in values {
            headers.append(LINK, HeaderValue::from_static(v));
        }
        link_next(&headers)
    }

    #[test]
    fn link_next_reads_rfc_8288() {
        assert_eq!(
            next_of(&[r#"<https://h/x?page=2>; rel="next""#]).as_deref(),
            Some("https://h/x?page=2")
        );
        assert_eq!(
            next_of(&[r#"<https://h/1>; rel="prev", <https://h/3>; rel=next"#]).as_deref(),
            Some("https://h/3")
        );
        assert_eq!(
            next_of(&[
                r#"<https://h/a,b>; rel="prev last""#,
                r#"<https://h/n>; REL="Next""#
            ])
            .as_deref(),
            Some("https://h/n")
        );
        assert_eq!(
            next_of(&[r#"<https://h/n>; title="a, \"b\"; rel=next"; rel="next prefetch""#])
                .as_deref(),
            Some("https://h/n")
        );
        assert_eq!(next_of(&[r#"<https://h/n>; title="rel=next""#]), None);
        assert_eq!(
            next_of(&["garbage, <https://h/n>; rel=next"]).as_deref(),
            Some("https://h/n")
        );
        assert_eq!(next_of(&["<https://h/n"]), None);
        assert_eq!(next_of(&[]), None);
        assert_eq!(next_of(&[r#"</page/2>; rel="nextish""#]), None);
    }

    #[test]
    fn hostile_link_headers_never_panic() {
        // Every prefix of strings made of the characters the parser cares about.
        let alphabet = [
            '<', '>', ';', ',', '"', '\\', '=', ' ', 'r', 'e', 'l', 'n', 'x', 't', 'é',
        ];
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..2000 {
            let text: String = (0..24)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    alphabet[(x % alphabet.len() as u64) as usize]
                })
                .collect();
            for (end, _) in text.char_indices() {
                let _ = parse_links(&text[..end]);
            }
        }
    }
}
