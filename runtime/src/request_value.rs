//! The macro that gives every generated request value the methods they all share, so a crate
//! states only what differs per operation: its fields, setters and how its request is built.

/// The methods every generated request value shares: `options`, and for one answered with one
/// response, `with_response` and `.await` (through `IntoFuture`) by the client's `send_*`
/// method that reads its media type.
///
/// The struct holds `client` (the crate's client, whose `runtime()` gives the runtime's) and
/// `options` ([`RequestOptions`](crate::RequestOptions)), and has a `request()` method that
/// builds its [`Request`](crate::Request). It is named as a type alias of what awaiting gives:
///
/// - `#[send_json] type Op<'a> = Result<T, E>;`: awaited, `send_json(self.request(), ..)`
///   gives `Result<T, E>`;
/// - `#[send_json(false)] type Op<'a, M> = Result<T, E>;`: `options` on every mode `M`, the
///   rest on `Op<'a, Single>`, whose request is `self.request(false)`;
/// - `impl<'a> Op<'a> {}`: `options` only (an operation that only streams).
///
/// `Result` may be written in full (`::std::result::Result`), as where a spec type takes the
/// name, and a generic list may end in a comma, as the formatter writes a long one.
#[macro_export]
macro_rules! request_value {
    (
        impl<$lt:lifetime $(, $mode:ident)? $(,)?>
        $name:ident<$lt2:lifetime $(, $mode2:ident)? $(,)?> {}
    ) => {
        $crate::request_value!(@options [$lt $(, $mode)?] $name<$lt2 $(, $mode2)?>);
    };
    (
        #[$send:ident $(($arg:expr))?]
        type $name:ident<$lt:lifetime $(,)?> = $(::)? $($result:ident)::+ <$out:ty, $err:ty $(,)?>;
    ) => {
        $crate::request_value!(@options [$lt] $name<$lt>);
        $crate::request_value!(@single [$lt] $name<$lt>, $err, $send($($arg)?) -> $out);
    };
    (
        #[$send:ident $(($arg:expr))?]
        type $name:ident<$lt:lifetime, $mode:ident $(,)?> = $(::)? $($result:ident)::+ <$out:ty, $err:ty $(,)?>;
    ) => {
        $crate::request_value!(@options [$lt, $mode] $name<$lt, $mode>);
        $crate::request_value!(
            @single [$lt] $name<$lt, $crate::Single>, $err, $send($($arg)?) -> $out
        );
    };
    (@options [$($generics:tt)*] $ty:ty) => {
        impl<$($generics)*> $ty {
            /// Per-request settings: timeout, retries, extra headers, query parameters and body
            /// fields. Called again, the new settings add to the earlier ones and win over them.
            pub fn options(mut self, options: $crate::RequestOptions) -> Self {
                self.options = self.options.merge(options);
                self
            }
        }
    };
    (@single [$lt:lifetime] $ty:ty, $err:ty, $send:ident($($arg:expr)?) -> $out:ty) => {
        impl<$lt> $ty {
            /// Sends the request when awaited; the value comes with its status, headers,
            /// request id and the retries it took.
            pub fn with_response(self) -> $crate::ResponseFuture<$lt, $out, $err> {
                let request = self.request($($arg)?);
                self.client.runtime().$send(request, self.options)
            }
        }

        impl<$lt> ::std::future::IntoFuture for $ty {
            type Output = ::std::result::Result<$out, $err>;
            type IntoFuture = $crate::ValueFuture<$lt, $out, $err>;

            fn into_future(self) -> Self::IntoFuture {
                $crate::ValueFuture::new(self.with_response())
            }
        }
    };
}
