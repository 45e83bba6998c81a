using System.Runtime.CompilerServices;

namespace Zones.Http;

/// <summary>
/// An ordered list of header fields with case-insensitive lookup. Order and repeats are kept
/// (Set-Cookie may appear several times). Values added through the public API are checked:
/// a name must be a token and a value must not hold CR, LF, NUL or another control character,
/// so no handler can split a response or inject a header.
/// </summary>
public sealed class HttpHeaders : IEnumerable<KeyValuePair<string, string>>
{
    private KeyValuePair<string, string>[] _items;
    private int _count;

    /// <summary>An empty list.</summary>
    public HttpHeaders() => _items = [];

    /// <summary>An empty list with room for <paramref name="capacity"/> fields before it grows.</summary>
    public HttpHeaders(int capacity) => _items = capacity == 0 ? [] : new KeyValuePair<string, string>[capacity];

    /// <summary>The number of fields, each repeat counted.</summary>
    public int Count => _count;

    /// <summary>The first value of <paramref name="name"/>, or null. Setting replaces every value; null removes.</summary>
    public string? this[string name]
    {
        get
        {
            var i = IndexOf(name, 0);
            return i < 0 ? null : _items[i].Value;
        }
        set
        {
            if (value is null) { Remove(name); return; }
            Validate(name, value);
            var i = IndexOf(name, 0);
            if (i < 0) { AddUnchecked(name, value); return; }
            _items[i] = new(_items[i].Key, value);
            RemoveFrom(name, i + 1);
        }
    }

    /// <summary>Adds a field, keeping any earlier fields of the same name.</summary>
    public void Add(string name, string value)
    {
        Validate(name, value);
        AddUnchecked(name, value);
    }

    /// <summary>True when at least one field is called <paramref name="name"/> (case-insensitive).</summary>
    public bool Contains(string name) => IndexOf(name, 0) >= 0;

    /// <summary>The first value of <paramref name="name"/>, when there is one.</summary>
    public bool TryGetValue(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value)
    {
        var i = IndexOf(name, 0);
        value = i < 0 ? null : _items[i].Value;
        return i >= 0;
    }

    /// <summary>Every value of <paramref name="name"/> in order of arrival.</summary>
    public IReadOnlyList<string> GetValues(string name)
    {
        List<string>? values = null;
        for (var i = IndexOf(name, 0); i >= 0; i = IndexOf(name, i + 1))
            (values ??= []).Add(_items[i].Value);
        return values ?? (IReadOnlyList<string>)[];
    }

    /// <summary>How many fields carry <paramref name="name"/>.</summary>
    public int CountOf(string name)
    {
        var n = 0;
        for (var i = IndexOf(name, 0); i >= 0; i = IndexOf(name, i + 1)) n++;
        return n;
    }

    /// <summary>Removes every field called <paramref name="name"/>; false when there was none.</summary>
    public bool Remove(string name) => RemoveFrom(name, 0);

    /// <summary>Removes every field.</summary>
    public void Clear()
    {
        Array.Clear(_items, 0, _count);
        _count = 0;
    }

    /// <summary>A copy that can change without changing this list.</summary>
    public HttpHeaders Clone()
    {
        var copy = new HttpHeaders(_count);
        Array.Copy(_items, copy._items, _count);
        copy._count = _count;
        return copy;
    }

    /// <summary>The field at <paramref name="index"/>, in order of arrival or addition.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not below <see cref="Count"/>.</exception>
    public KeyValuePair<string, string> this[int index] =>
        (uint)index < (uint)_count ? _items[index] : throw new ArgumentOutOfRangeException(nameof(index));

    /// <summary>True when a comma-separated list header (Connection, Upgrade…) holds <paramref name="token"/>.</summary>
    public bool HasToken(string name, string token)
    {
        for (var i = IndexOf(name, 0); i >= 0; i = IndexOf(name, i + 1))
        {
            if (HeaderTokens.Contains(_items[i].Value, token)) return true;
        }
        return false;
    }

    /// <summary>
    /// Empties the list for the connection's next request head of <paramref name="expected"/>
    /// fields, keeping its array unless it is too small or was grown large by an earlier head
    /// (a connection should not hold a thousand-field array for the rest of its life).
    /// </summary>
    internal void Reuse(int expected)
    {
        if (_items.Length < expected || _items.Length > 32) _items = expected == 0 ? [] : new KeyValuePair<string, string>[expected];
        else Array.Clear(_items, 0, _count);
        _count = 0;
    }

    internal void AddUnchecked(string name, string value)
    {
        if (_count == _items.Length)
            Array.Resize(ref _items, _count == 0 ? 8 : _count * 2);
        _items[_count++] = new(name, value);
    }

    private bool RemoveFrom(string name, int start)
    {
        var removed = false;
        var write = start;
        for (var read = start; read < _count; read++)
        {
            if (string.Equals(_items[read].Key, name, StringComparison.OrdinalIgnoreCase)) { removed = true; continue; }
            _items[write++] = _items[read];
        }
        Array.Clear(_items, write, _count - write);
        _count = write;
        return removed;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int IndexOf(string name, int start)
    {
        for (var i = start; i < _count; i++)
        {
            var key = _items[i].Key;
            if (ReferenceEquals(key, name) || string.Equals(key, name, StringComparison.OrdinalIgnoreCase)) return i;
        }
        return -1;
    }

    /// <summary>Throws when a handler tries to set a header that could not be sent safely.</summary>
    public static void Validate(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        if (name.Length == 0 || !HttpCharacters.IsToken(name))
            throw new ArgumentException($"Header name \"{name}\" is not an HTTP token.", nameof(name));
        foreach (var c in value)
        {
            if ((c < 0x20 && c != '\t') || c == 0x7F)
                throw new ArgumentException($"Header \"{name}\" has a control character (CR, LF, NUL…) in its value; it would not be sent safely.", nameof(value));
        }
    }

    /// <summary>The fields in order, without allocating; do not change the list while enumerating it.</summary>
    public Enumerator GetEnumerator() => new(this);
    IEnumerator<KeyValuePair<string, string>> IEnumerable<KeyValuePair<string, string>>.GetEnumerator() => GetEnumerator();
    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Walks the fields of a <see cref="HttpHeaders"/> in order; a struct, so a foreach allocates nothing.</summary>
    public struct Enumerator(HttpHeaders headers) : IEnumerator<KeyValuePair<string, string>>
    {
        private int _index = -1;
        /// <inheritdoc/>
        public readonly KeyValuePair<string, string> Current => headers._items[_index];
        readonly object System.Collections.IEnumerator.Current => Current;
        /// <inheritdoc/>
        public bool MoveNext() => ++_index < headers._count;
        /// <inheritdoc/>
        public void Reset() => _index = -1;
        /// <inheritdoc/>
        public readonly void Dispose() { }
    }
}
