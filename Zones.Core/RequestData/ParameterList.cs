namespace Zones.RequestData;

/// <summary>
/// Name/value pairs as they arrived — a query string, a form's fields, a Cookie header. Order
/// and repeats are kept (<c>?tag=a&amp;tag=b</c> has two "tag" values); names compare
/// case-sensitively, as in URLs and cookies.
/// </summary>
public sealed class ParameterList : IReadOnlyList<KeyValuePair<string, string>>
{
    /// <summary>No parameters; shared.</summary>
    public static readonly ParameterList Empty = new([]);

    private readonly List<KeyValuePair<string, string>> _items;

    /// <summary>A list of <paramref name="items"/>, copied, in their order.</summary>
    public ParameterList(IEnumerable<KeyValuePair<string, string>> items) : this(new List<KeyValuePair<string, string>>(items)) { }

    private ParameterList(List<KeyValuePair<string, string>> items) => _items = items;

    /// <summary>Takes ownership of a list the parser built, without copying it.</summary>
    internal static ParameterList Wrap(List<KeyValuePair<string, string>> items) => new(items);

    /// <summary>The number of pairs, each repeat counted.</summary>
    public int Count => _items.Count;

    /// <summary>The pair at <paramref name="index"/>, in order of arrival.</summary>
    public KeyValuePair<string, string> this[int index] => _items[index];

    /// <summary>The first value of <paramref name="name"/>, or null when it is absent.</summary>
    public string? this[string name]
    {
        get
        {
            foreach (var (key, value) in _items)
                if (key == name) return value;
            return null;
        }
    }

    /// <summary>True when <paramref name="name"/> appears at least once (case-sensitive).</summary>
    public bool Contains(string name) => this[name] is not null;

    /// <summary>Every value of <paramref name="name"/>, in order; empty when it is absent.</summary>
    public IReadOnlyList<string> GetValues(string name)
    {
        List<string>? values = null;
        foreach (var (key, value) in _items)
            if (key == name) (values ??= []).Add(value);
        return values ?? (IReadOnlyList<string>)[];
    }

    /// <summary>The distinct names, in order of first appearance.</summary>
    public IEnumerable<string> Names => _items.Select(i => i.Key).Distinct();

    /// <summary>The pairs in order of arrival.</summary>
    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => _items.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>"a=1&amp;b=2", the pairs as they are (not percent-encoded again), for logs and debugging.</summary>
    public override string ToString() => string.Join("&", _items.Select(i => $"{i.Key}={i.Value}"));
}
