using System.Globalization;
using System.Text;

namespace ClusterTemplate.AppHost.Tests.Infrastructure;

/// <summary>
/// Reads the spans out of an OTLP/HTTP protobuf <c>ExportTraceServiceRequest</c>: only the fields the tests
/// need (resource attributes, scope name, span name, ids, parent, attributes and links); everything else is
/// skipped by wire type.
/// </summary>
internal static class OtlpTraceReader
{
    public static List<OtlpSpan> Read(ReadOnlySpan<byte> request)
    {
        var spans = new List<OtlpSpan>();
        var reader = new Reader(request);
        while (reader.Next(out var field, out var wireType))
        {
            if (field == 1 && wireType == 2)
            {
                ReadResourceSpans(reader.Bytes(), spans);
            }
            else
            {
                reader.Skip(wireType);
            }
        }

        return spans;
    }

    // ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; }
    private static void ReadResourceSpans(ReadOnlySpan<byte> message, List<OtlpSpan> spans)
    {
        var resource = new Dictionary<string, string>();
        var scopes = new List<byte[]>();
        var reader = new Reader(message);
        while (reader.Next(out var field, out var wireType))
        {
            switch (field, wireType)
            {
                case (1, 2):
                    ReadAttributes(reader.Bytes(), resource);
                    break;
                case (2, 2):
                    scopes.Add(reader.Bytes().ToArray());
                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }

        foreach (var scope in scopes)
        {
            ReadScopeSpans(scope, resource, spans);
        }
    }

    // Resource { repeated KeyValue attributes = 1; }
    private static void ReadAttributes(ReadOnlySpan<byte> message, Dictionary<string, string> attributes)
    {
        var reader = new Reader(message);
        while (reader.Next(out var field, out var wireType))
        {
            if (field == 1 && wireType == 2)
            {
                ReadKeyValue(reader.Bytes(), attributes);
            }
            else
            {
                reader.Skip(wireType);
            }
        }
    }

    // KeyValue { string key = 1; AnyValue value = 2; }
    private static void ReadKeyValue(ReadOnlySpan<byte> message, Dictionary<string, string> attributes)
    {
        var pair = new Reader(message);
        string? key = null;
        string? value = null;
        while (pair.Next(out var field, out var wireType))
        {
            switch (field, wireType)
            {
                case (1, 2):
                    key = Encoding.UTF8.GetString(pair.Bytes());
                    break;
                case (2, 2):
                    value = ReadAnyValue(pair.Bytes());
                    break;
                default:
                    pair.Skip(wireType);
                    break;
            }
        }

        if (key is not null)
        {
            attributes[key] = value ?? "";
        }
    }

    // AnyValue { string string_value = 1; bool bool_value = 2; int64 int_value = 3; ... }
    private static string? ReadAnyValue(ReadOnlySpan<byte> message)
    {
        var reader = new Reader(message);
        while (reader.Next(out var field, out var wireType))
        {
            switch (field, wireType)
            {
                case (1, 2):
                    return Encoding.UTF8.GetString(reader.Bytes());
                case (2, 0):
                    return reader.Varint() != 0 ? "true" : "false";
                case (3, 0):
                    return ((long)reader.Varint()).ToString(CultureInfo.InvariantCulture);
                default:
                    reader.Skip(wireType);
                    break;
            }
        }

        return null;
    }

    // ScopeSpans { InstrumentationScope scope = 1; repeated Span spans = 2; }  InstrumentationScope { string name = 1; }
    private static void ReadScopeSpans(ReadOnlySpan<byte> message, Dictionary<string, string> resource, List<OtlpSpan> spans)
    {
        var scopeName = "";
        var messages = new List<byte[]>();
        var reader = new Reader(message);
        while (reader.Next(out var field, out var wireType))
        {
            switch (field, wireType)
            {
                case (1, 2):
                    scopeName = ReadString(reader.Bytes(), 1) ?? "";
                    break;
                case (2, 2):
                    messages.Add(reader.Bytes().ToArray());
                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }

        spans.AddRange(messages.Select(span => ReadSpan(span, scopeName, resource)));
    }

    // Span { bytes trace_id = 1; bytes span_id = 2; bytes parent_span_id = 4; string name = 5; fixed64 start_time_unix_nano = 7;
    //        fixed64 end_time_unix_nano = 8; repeated KeyValue attributes = 9; repeated Link links = 13; }
    private static OtlpSpan ReadSpan(ReadOnlySpan<byte> message, string scopeName, Dictionary<string, string> resource)
    {
        string name = "", traceId = "", spanId = "", parentSpanId = "";
        ulong start = 0, end = 0;
        var attributes = new Dictionary<string, string>();
        var links = new List<OtlpLink>();
        var reader = new Reader(message);
        while (reader.Next(out var field, out var wireType))
        {
            switch (field, wireType)
            {
                case (1, 2):
                    traceId = Convert.ToHexStringLower(reader.Bytes());
                    break;
                case (2, 2):
                    spanId = Convert.ToHexStringLower(reader.Bytes());
                    break;
                case (4, 2):
                    parentSpanId = Convert.ToHexStringLower(reader.Bytes());
                    break;
                case (5, 2):
                    name = Encoding.UTF8.GetString(reader.Bytes());
                    break;
                case (7, 1):
                    start = reader.Fixed64();
                    break;
                case (8, 1):
                    end = reader.Fixed64();
                    break;
                case (9, 2):
                    ReadKeyValue(reader.Bytes(), attributes);
                    break;
                case (13, 2):
                    links.Add(ReadLink(reader.Bytes()));
                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }

        return new OtlpSpan(name, scopeName, resource)
        {
            TraceId = traceId,
            SpanId = spanId,
            ParentSpanId = parentSpanId,
            StartTimeUnixNano = start,
            EndTimeUnixNano = end,
            Attributes = attributes,
            Links = links,
        };
    }

    // Link { bytes trace_id = 1; bytes span_id = 2; }
    private static OtlpLink ReadLink(ReadOnlySpan<byte> message)
    {
        string traceId = "", spanId = "";
        var reader = new Reader(message);
        while (reader.Next(out var field, out var wireType))
        {
            switch (field, wireType)
            {
                case (1, 2):
                    traceId = Convert.ToHexStringLower(reader.Bytes());
                    break;
                case (2, 2):
                    spanId = Convert.ToHexStringLower(reader.Bytes());
                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }

        return new OtlpLink(traceId, spanId);
    }

    private static string? ReadString(ReadOnlySpan<byte> message, int wantedField)
    {
        var reader = new Reader(message);
        while (reader.Next(out var field, out var wireType))
        {
            if (field == wantedField && wireType == 2)
            {
                return Encoding.UTF8.GetString(reader.Bytes());
            }

            reader.Skip(wireType);
        }

        return null;
    }

    private ref struct Reader(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _position;

        public bool Next(out int field, out int wireType)
        {
            if (_position >= _data.Length)
            {
                field = 0;
                wireType = 0;
                return false;
            }

            var tag = Varint();
            field = (int)(tag >> 3);
            wireType = (int)(tag & 7);
            return true;
        }

        public ulong Varint()
        {
            ulong value = 0;
            for (var shift = 0; shift < 64; shift += 7)
            {
                var b = _data[_position++];
                value |= (ulong)(b & 0x7F) << shift;
                if ((b & 0x80) == 0)
                {
                    return value;
                }
            }

            throw new InvalidDataException("A protobuf varint is longer than 10 bytes.");
        }

        public ulong Fixed64()
        {
            var value = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(_data.Slice(_position, 8));
            _position += 8;
            return value;
        }

        public ReadOnlySpan<byte> Bytes()
        {
            var length = checked((int)Varint());
            var bytes = _data.Slice(_position, length);
            _position += length;
            return bytes;
        }

        public void Skip(int wireType)
        {
            switch (wireType)
            {
                case 0:
                    Varint();
                    break;
                case 1:
                    _position += 8;
                    break;
                case 2:
                    Bytes();
                    break;
                case 5:
                    _position += 4;
                    break;
                default:
                    throw new InvalidDataException($"Unsupported protobuf wire type {wireType}.");
            }
        }
    }
}
