using System.Buffers;

namespace AuditWatch.Ingestion.Decoding;

/// <summary>
/// Splits a byte stream into the JSON objects that each hold one audit event, without parsing them and without
/// ever holding more than one item: JSON lines, concatenated or pretty-printed objects, a top-level array of events,
/// and a <c>{"kind":"EventList","items":[…]}</c> whose items are framed one by one.
/// </summary>
/// <remarks>
/// A byte-level state machine (strings, escapes and nesting depth) rather than a parser, so that a broken item
/// costs only itself: in line-delimited input a line that ends inside an object, or a string, is reported and the
/// next line that starts with "{" in column 0 starts afresh. That holds inside the items of an EventList too (a file of
/// one EventList per line), but not between the elements of a top-level array, which may well start in column 0. A raw
/// newline inside a string is never valid JSON, so it always ends the value it was in.
/// </remarks>
internal sealed class JsonItemFramer : IDisposable
{
    private const byte Quote = (byte)'"';
    private static ReadOnlySpan<byte> ItemsKey => "items"u8;

    // The only bytes that matter inside a string: most of an audit event's bytes are string contents, so the framer
    // jumps between these with a vectorized search instead of visiting every byte.
    private static readonly SearchValues<byte> StringStops = SearchValues.Create("\"\\\n"u8);

    private readonly IFrameHandler _handler;
    private readonly int _maxItemBytes;

    private byte[] _buffer;
    private int _length;
    private int _highWater;
    private bool _oversized;

    private long _line = 1;
    private int _depth;
    private bool _inString;
    private bool _escape;
    private bool _skipToLineEnd;

    // Items are the objects found at this depth: 0 on its own, 1 inside a top-level array, 2 inside EventList.items.
    private int _itemDepth;
    private long _itemIndex = -1;
    private bool _inFrame;
    private long _frameLine;
    private bool _scalarItem;

    // Recognizing the "items" key of a top-level object.
    private bool _expectKey;
    private bool _capturingKey;
    private int _keyLength;
    private bool _keyIsItems;
    private bool _afterItemsColon;

    // Resynchronizing line-delimited input.
    private bool _lineStartPending;
    private bool _indented;

    // A UTF-8 byte order mark may open the input (files written by some editors and tools).
    private int _startBytes;

    // Nothing but whitespace yet on the current line: only there may a top-level array start.
    private bool _lineBlank = true;

    public JsonItemFramer(IFrameHandler handler, int maxItemBytes, long firstLine = 1)
    {
        _line = firstLine;
        ArgumentOutOfRangeException.ThrowIfLessThan(maxItemBytes, 2);
        _handler = handler;
        _maxItemBytes = maxItemBytes;
        // Rented only when an item spans two chunks: a whole body fed at once (webhook, Kafka message) needs none.
        _buffer = [];
    }

    public void Feed(ReadOnlySpan<byte> chunk)
    {
        chunk = SkipByteOrderMark(chunk);
        var segmentStart = _inFrame ? 0 : -1;
        for (var i = 0; i < chunk.Length; i++)
        {
            if (_skipToLineEnd)
            {
                var end = chunk[i..].IndexOf((byte)'\n');
                if (end < 0)
                {
                    break;
                }

                i += end;
                _skipToLineEnd = false;
                _line++;
                _lineBlank = true;
                continue;
            }

            if (_inString && !_escape && !_capturingKey)
            {
                var stop = chunk[i..].IndexOfAny(StringStops);
                if (stop < 0)
                {
                    break;
                }

                i += stop;
            }

            var b = chunk[i];
            if (_inString)
            {
                if (b == '\n')
                {
                    // A raw newline is never valid inside a JSON string: this line was cut off, whatever encloses it.
                    _handler.OnError(_inFrame ? _frameLine : _line, _itemIndex, DecodeErrorKind.Truncated, "line ends inside a JSON string (cut off or not JSON)");
                    ResetFrame();
                    segmentStart = -1;
                    _line++;
                    _lineBlank = true;
                    continue;
                }

                ScanStringByte(b);
                continue;
            }

            switch (b)
            {
                case (byte)'\n':
                    _line++;
                    _lineBlank = true;
                    if (Resyncable)
                    {
                        _lineStartPending = true;
                        _indented = false;
                    }

                    continue;
                case (byte)' ' or (byte)'\t' or (byte)'\r':
                    if (_lineStartPending)
                    {
                        _indented = true;
                    }

                    continue;
            }

            var lineBlank = _lineBlank;
            _lineBlank = false;
            if (_lineStartPending)
            {
                _lineStartPending = false;
                if (b == '{' && !_indented && Resyncable)
                {
                    _handler.OnError(_inFrame ? _frameLine : _line - 1, _itemIndex, DecodeErrorKind.Truncated, "JSON object is incomplete: the line was cut off");
                    ResetFrame();
                    segmentStart = -1;
                }
            }

            if (_afterItemsColon)
            {
                _afterItemsColon = false;
                if (b == '[' && _depth == 1 && _inFrame && _itemDepth == 0)
                {
                    EnterEventListItems();
                    segmentStart = -1;
                    continue;
                }
            }

            switch (b)
            {
                case Quote:
                    if (RejectNonObjectItem())
                    {
                        continue;
                    }

                    _inString = true;
                    if (_expectKey && _depth == 1 && _inFrame && _itemDepth == 0)
                    {
                        _capturingKey = true;
                        _keyLength = 0;
                        _keyIsItems = true;
                    }

                    break;
                case (byte)'{':
                    if (_depth == _itemDepth && !_inFrame)
                    {
                        StartFrame();
                        segmentStart = i;
                    }

                    _depth++;
                    _expectKey = _depth == 1;
                    break;
                case (byte)'[':
                    if (_depth == 0 && !_inFrame && !lineBlank)
                    {
                        // After a value on the same line: in line-delimited input, garbage that must not swallow the
                        // lines after it as array elements.
                        _handler.OnError(_line, -1, DecodeErrorKind.NotAnObject, "'[' after a value on the same line: expected one JSON object per line");
                        _skipToLineEnd = true;
                        continue;
                    }

                    if (_depth == 0 && !_inFrame)
                    {
                        // A top-level array: its elements are the items.
                        _depth = 1;
                        _itemDepth = 1;
                        _itemIndex = -1;
                        continue;
                    }

                    RejectNonObjectItem();
                    _depth++;
                    break;
                case (byte)'}' or (byte)']':
                    _scalarItem = false;
                    _depth--;
                    if (_depth < 0)
                    {
                        _handler.OnError(_line, -1, DecodeErrorKind.InvalidJson, $"unexpected '{(char)b}'");
                        _depth = 0;
                        _skipToLineEnd = true;
                        continue;
                    }

                    if (_inFrame && _depth == _itemDepth)
                    {
                        CompleteFrame(chunk[segmentStart..(i + 1)]);
                        segmentStart = -1;
                    }
                    else if (_depth < _itemDepth)
                    {
                        // The array holding the items closed. What may follow inside an EventList wrapper (kind,
                        // metadata) is scanned past, not framed; at depth 0 the next top-level value starts.
                        _itemDepth = 0;
                        _itemIndex = -1;
                    }

                    break;
                case (byte)',':
                    _scalarItem = false;
                    if (_depth == 1 && _inFrame && _itemDepth == 0)
                    {
                        _expectKey = true;
                    }

                    break;
                case (byte)':':
                    if (_keyIsItems && _depth == 1 && _inFrame && _itemDepth == 0)
                    {
                        _afterItemsColon = true;
                    }

                    _keyIsItems = false;
                    break;
                default:
                    RejectNonObjectItem();
                    break;
            }
        }

        if (_inFrame && segmentStart >= 0)
        {
            Append(chunk[segmentStart..]);
        }
    }

    /// <summary>
    /// Inside a value that a cut-off line may have left open: a top-level object, an EventList item, or an EventList
    /// wrapper after its items; not between the items of a list or array, which may start in column 0.
    /// </summary>
    private bool Resyncable => _itemDepth != 1 && (_inFrame || (_itemDepth == 0 && _depth > 0));

    private ReadOnlySpan<byte> SkipByteOrderMark(ReadOnlySpan<byte> chunk)
    {
        ReadOnlySpan<byte> mark = [0xEF, 0xBB, 0xBF];
        while (_startBytes < mark.Length && chunk.Length > 0)
        {
            if (chunk[0] != mark[_startBytes])
            {
                _startBytes = mark.Length;
                break;
            }

            chunk = chunk[1..];
            _startBytes++;
        }

        return chunk;
    }

    /// <summary>Reports an item the input ended in the middle of.</summary>
    public void Complete()
    {
        if (_inFrame || _depth > 0 || _inString)
        {
            _handler.OnError(_inFrame ? _frameLine : _line, _itemIndex, DecodeErrorKind.Truncated, "input ends inside an unfinished JSON value");
        }

        ResetFrame();
    }

    public void Dispose()
    {
        if (_buffer.Length > 0)
        {
            // Audit data may be sensitive: what was written is wiped before the array goes back to the shared pool.
            _buffer.AsSpan(0, _highWater).Clear();
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }

    private void ScanStringByte(byte b)
    {
        if (_escape)
        {
            _escape = false;
            _keyIsItems = false;
            return;
        }

        if (b == '\\')
        {
            _escape = true;
            return;
        }

        if (b == Quote)
        {
            _inString = false;
            if (_capturingKey)
            {
                _capturingKey = false;
                _expectKey = false;
                _keyIsItems = _keyIsItems && _keyLength == ItemsKey.Length;
            }

            return;
        }

        if (_capturingKey)
        {
            _keyIsItems = _keyIsItems && _keyLength < ItemsKey.Length && ItemsKey[_keyLength] == b;
            _keyLength++;
        }
    }

    /// <summary>
    /// Reports a value that is not an object where an item was expected. Returns true when the rest of the line is
    /// to be skipped (top-level garbage in line-delimited input).
    /// </summary>
    private bool RejectNonObjectItem()
    {
        if (_inFrame || _depth != _itemDepth || _scalarItem)
        {
            return false;
        }

        if (_itemDepth == 0)
        {
            _handler.OnError(_line, -1, DecodeErrorKind.NotAnObject, "expected a JSON object (an audit Event, EventList or array of Events)");
            _skipToLineEnd = true;
            return true;
        }

        _itemIndex++;
        _scalarItem = true;
        _handler.OnError(_line, _itemIndex, DecodeErrorKind.NotAnObject, "item is not a JSON object");
        return false;
    }

    private void StartFrame()
    {
        _inFrame = true;
        _frameLine = _line;
        _length = 0;
        _oversized = false;
        _lineStartPending = false;
        if (_itemDepth > 0)
        {
            _itemIndex++;
        }
    }

    private void EnterEventListItems()
    {
        _inFrame = false;
        _length = 0;
        _oversized = false;
        _depth = 2;
        _itemDepth = 2;
        _itemIndex = -1;
        _expectKey = false;
    }

    private void CompleteFrame(ReadOnlySpan<byte> tail)
    {
        if (_length == 0 && !_oversized && tail.Length <= _maxItemBytes)
        {
            // The whole item is in this chunk: hand it over without copying.
            var (itemLine, itemIndex) = (_frameLine, _itemIndex);
            _inFrame = false;
            _lineStartPending = false;
            _expectKey = false;
            _handler.OnItem(tail, itemLine, itemIndex);
            return;
        }

        Append(tail);
        var line = _frameLine;
        var index = _itemIndex;
        var oversized = _oversized;
        var length = _length;
        _inFrame = false;
        _length = 0;
        _oversized = false;
        _lineStartPending = false;
        _expectKey = false;
        if (oversized)
        {
            _handler.OnError(line, index, DecodeErrorKind.TooLarge, $"item exceeds the limit of {_maxItemBytes} bytes");
            return;
        }

        _handler.OnItem(_buffer.AsSpan(0, length), line, index);
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        if (_oversized)
        {
            return;
        }

        if (_length + bytes.Length > _maxItemBytes)
        {
            _oversized = true;
            _length = 0;
            return;
        }

        if (_length + bytes.Length > _buffer.Length)
        {
            var grown = ArrayPool<byte>.Shared.Rent(Math.Min(_maxItemBytes, Math.Max(Math.Max(_buffer.Length * 2, 4096), _length + bytes.Length)));
            _buffer.AsSpan(0, _length).CopyTo(grown);
            if (_buffer.Length > 0)
            {
                _buffer.AsSpan(0, _highWater).Clear();
                ArrayPool<byte>.Shared.Return(_buffer);
            }

            _buffer = grown;
        }

        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
        _highWater = Math.Max(_highWater, _length);
    }

    private void ResetFrame()
    {
        _inFrame = false;
        _length = 0;
        _oversized = false;
        _depth = 0;
        _itemDepth = 0;
        _itemIndex = -1;
        _inString = false;
        _escape = false;
        _capturingKey = false;
        _expectKey = false;
        _keyIsItems = false;
        _afterItemsColon = false;
        _lineStartPending = false;
        _scalarItem = false;
    }
}
