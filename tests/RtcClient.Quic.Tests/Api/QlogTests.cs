using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace RtcClient.Quic.Tests.Api;

/// <summary>Connections write qlog traces (JSON-SEQ) where QlogDirectory asks for them.</summary>
[CancelAfter(30_000)]
public class QlogTests
{
    private static readonly string[] PacketTypes = ["initial", "handshake", "1RTT"];

    [Test]
    public async Task Each_side_writes_a_trace_of_every_packet_it_sent_and_received(CancellationToken ct)
    {
        var dir = Path.Combine(Path.GetTempPath(), "rtc-qlog-" + Guid.NewGuid().ToString("N"));
        try
        {
            long clientSent, clientReceived;
            await using (var listener = await LoopbackPair.ListenAsync(ct, configure: o => o.ConnectionOptions.QlogDirectory = dir))
            {
                var options = LoopbackPair.ClientOptions(listener);
                options.QlogDirectory = dir;
                var accept = listener.AcceptConnectionAsync(ct).AsTask();
                await using var client = await QuicConnection.ConnectAsync(options, ct);
                await using var server = await accept;
                var payload = RandomNumberGenerator.GetBytes(50_000);
                var read = Task.Run(async () =>
                {
                    await using var inbound = await server.AcceptInboundStreamAsync(ct);
                    var received = new MemoryStream();
                    await inbound.CopyToAsync(received, ct);
                    return received.Length;
                }, ct);
                await using (var stream = await client.OpenOutboundStreamAsync(QuicStreamType.Unidirectional, ct))
                    await stream.WriteAsync(payload, completeWrites: true, ct);
                Assert.That(await read, Is.EqualTo(payload.Length));
                await client.CloseAsync(0, ct);
                var stats = client.GetStatistics();
                (clientSent, clientReceived) = (stats.PacketsSent, stats.PacketsReceived);
            }

            var clientFile = Directory.GetFiles(dir, "*_client.sqlog").Single();
            var serverFile = Directory.GetFiles(dir, "*_server.sqlog").Single();
            Assert.That(Path.GetFileName(serverFile)[..16], Is.EqualTo(Path.GetFileName(clientFile)[..16]), "both named by the original destination connection ID");

            var (clientHeader, clientEvents) = Read(clientFile);
            Assert.Multiple(() =>
            {
                Assert.That(clientHeader.GetProperty("qlog_version").GetString(), Is.EqualTo("0.3"));
                Assert.That(clientHeader.GetProperty("qlog_format").GetString(), Is.EqualTo("JSON-SEQ"));
                Assert.That(clientHeader.GetProperty("trace").GetProperty("vantage_point").GetProperty("type").GetString(), Is.EqualTo("client"));
                // Counted when the close was sent; a closing connection may still send or take a packet or two.
                Assert.That(clientEvents.Count(e => e.Name == "transport:packet_sent"), Is.InRange(clientSent, clientSent + 3), "every packet sent is traced");
                Assert.That(clientEvents.Count(e => e.Name == "transport:packet_received"), Is.InRange(clientReceived, clientReceived + 3), "every packet received is traced");
                Assert.That(clientEvents.Select(e => e.Type).Distinct(), Is.SupersetOf(PacketTypes));
                Assert.That(clientEvents.Select(e => e.Time), Is.Ordered, "relative times only grow");
            });
            foreach (var type in PacketTypes)
            {
                var numbers = clientEvents.Where(e => e.Name == "transport:packet_sent" && e.Type == type).Select(e => e.Number).ToList();
                Assert.That(numbers, Is.Ordered.And.Unique, $"{type} packet numbers of the client");
            }
            var (serverHeader, serverEvents) = Read(serverFile);
            Assert.That(serverHeader.GetProperty("trace").GetProperty("vantage_point").GetProperty("type").GetString(), Is.EqualTo("server"));
            Assert.That(serverEvents.Where(e => e.Name == "transport:packet_received" && e.Type == "1RTT").Sum(e => e.Size), Is.GreaterThan(50_000), "the 50 kB stream arrived in 1-RTT packets");
            Assert.That(clientEvents.Where(e => e.Name == "transport:packet_sent").All(e => e.Size >= 20), Is.True, "sizes are the packets' lengths");
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public async Task An_empty_directory_setting_writes_nothing_and_an_unwritable_one_does_not_fail_the_connection(CancellationToken ct)
    {
        var file = Path.GetTempFileName(); // a file where a directory is asked for: the trace cannot be created
        try
        {
            await using var pair = await LoopbackPair.ConnectAsync(ct, o => o.QlogDirectory = Path.Combine(file, "qlog"));
            await using var stream = await pair.Client.OpenOutboundStreamAsync(QuicStreamType.Unidirectional, ct);
            await stream.WriteAsync(new byte[100], completeWrites: true, ct);
            await using var inbound = await pair.Server.AcceptInboundStreamAsync(ct);
            var received = new MemoryStream();
            await inbound.CopyToAsync(received, ct);
            Assert.That(received.Length, Is.EqualTo(100));
        }
        finally
        {
            File.Delete(file);
        }
    }

    private sealed record Event(double Time, string Name, string Type, long Number, long Size);

    /// <summary>Splits a JSON-SEQ file (RFC 7464) into its header and events; each record must be JSON on its own.</summary>
    private static (JsonElement Header, List<Event> Events) Read(string path)
    {
        var text = File.ReadAllText(path, Encoding.UTF8);
        var records = text.Split('\u001e', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(records.All(r => r.EndsWith('\n')), Is.True, "each record ends with a line feed");
        var header = JsonDocument.Parse(records[0]).RootElement.Clone();
        var events = records.Skip(1).Select(r =>
        {
            var e = JsonDocument.Parse(r).RootElement;
            var data = e.GetProperty("data");
            var h = data.GetProperty("header");
            var raw = data.GetProperty("raw");
            long size = raw.TryGetProperty("length", out var length) ? length.GetInt64() : raw.GetProperty("payload_length").GetInt64();
            return new Event(e.GetProperty("time").GetDouble(), e.GetProperty("name").GetString()!, h.GetProperty("packet_type").GetString()!, h.GetProperty("packet_number").GetInt64(), size);
        }).ToList();
        return (header, events);
    }
}
