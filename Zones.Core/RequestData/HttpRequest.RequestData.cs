namespace Zones;

// Request data parsed on demand: the query, cookies and the form. Nothing here is computed for a
// request that does not ask.
public sealed partial class HttpRequest
{
    private ParameterList? _query;
    private ParameterList? _cookies;
    private Task<RequestForm>? _form;
    private List<IAsyncDisposable>? _disposables;

    /// <summary>The query string's parameters, decoded ('+' and %XX, UTF-8), repeats kept. Parsed on first use.</summary>
    public ParameterList Query => _query ??= UrlEncoding.ParseQuery(QueryString);

    /// <summary>The cookies of the Cookie header(s), as sent. Parsed on first use.</summary>
    public ParameterList Cookies => _cookies ??= Zones.Cookies.Parse(Headers.GetValues(HeaderNames.Cookie));

    /// <summary>True when the body is declared as application/x-www-form-urlencoded or multipart/form-data.</summary>
    public bool HasFormContentType => FormReader.IsFormContentType(Headers[HeaderNames.ContentType]);

    /// <summary>
    /// Reads the body as a form (urlencoded or multipart), once: later calls return the same form,
    /// whatever limits they pass. A request without a body gives an empty form; another content
    /// type, a malformed body or one over <paramref name="limits"/> throws
    /// <see cref="BadHttpRequestException"/> (415, 400 or 413), which the server sends to the client.
    /// Uploaded files in temporary storage are deleted when the request ends.
    /// </summary>
    public Task<RequestForm> ReadFormAsync(FormLimits? limits = null, CancellationToken cancellationToken = default) =>
        _form ??= ReadFormCoreAsync(limits ?? FormLimits.Default, cancellationToken);

    private async Task<RequestForm> ReadFormCoreAsync(FormLimits limits, CancellationToken cancellationToken)
    {
        var form = await FormReader.ReadAsync(this, limits, cancellationToken);
        RegisterForDispose(form);
        return form;
    }

    /// <summary>Disposes <paramref name="disposable"/> when this request ends: after its response is sent, its take-over returns, or its connection fails.</summary>
    public void RegisterForDispose(IAsyncDisposable disposable)
    {
        ArgumentNullException.ThrowIfNull(disposable);
        (_disposables ??= []).Add(disposable);
    }

    /// <summary>Called by the connection when the request is over, whatever way it ended; disposes in reverse order.</summary>
    internal async ValueTask EndAsync()
    {
        if (_disposables is not { } list) return;
        _disposables = null;
        List<Exception>? failures = null;
        for (var i = list.Count - 1; i >= 0; i--)
        {
            try { await list[i].DisposeAsync(); }
            catch (Exception e) { (failures ??= []).Add(e); }
        }
        if (failures is not null) throw new AggregateException("Disposing what a request registered failed.", failures);
    }
}
