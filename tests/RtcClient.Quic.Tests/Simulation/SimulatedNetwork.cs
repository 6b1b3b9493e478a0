using RtcClient.Quic.Connection;
using RtcClient.Quic.Tls;

namespace RtcClient.Quic.Tests.Simulation;

/// <summary>
/// A deterministic network between a client and a server connection core: virtual time, seeded loss,
/// reordering and delay, and a hook to drop chosen datagrams. The server core is created from the
/// client's first Initial, as an endpoint would.
/// </summary>
internal sealed class SimulatedNetwork
{
    private readonly PriorityQueue<(bool ToServer, byte[] Data), (long Time, long Seq)> _inFlight = new();
    private readonly Random _random;
    private readonly byte[] _sendBuffer = new byte[65536];
    private readonly ConnectionSettings _serverSettings;
    private readonly IRandomSource _serverRandom;
    private long _seq;

    public SimulatedNetwork(ConnectionSettings clientSettings, ConnectionSettings serverSettings, int seed = 1)
    {
        _random = new Random(seed);
        _serverSettings = serverSettings;
        _serverRandom = new SeededRandomSource(seed * 7 + 1);
        Client = new SimulatedPeer("client") { Clock = () => Now };
        Server = new SimulatedPeer("server") { Clock = () => Now };
        Client.Core = QuicConnectionCore.CreateClient(clientSettings, new SeededRandomSource(seed * 7), Now);
        Client.Core.Events = Client;
    }

    /// <summary>Virtual time in microseconds.</summary>
    public long Now { get; private set; } = 1_000_000;

    public SimulatedPeer Client { get; }
    public SimulatedPeer Server { get; }
    public QuicConnectionCore ClientCore => Client.Core!;
    public QuicConnectionCore ServerCore => Server.Core ?? throw new InvalidOperationException("no server yet");

    public LinkConditions ToServer { get; set; } = new();
    public LinkConditions ToClient { get; set; } = new();

    /// <summary>Return true to drop a datagram: (to server?, index of the datagram in that direction, bytes).</summary>
    public Func<bool, int, byte[], bool>? Drop { get; set; }

    /// <summary>Datagrams sent per direction.</summary>
    public int SentToServer { get; private set; }
    public int SentToClient { get; private set; }

    /// <summary>Datagrams delivered per direction.</summary>
    public int DeliveredToServer { get; private set; }
    public int DeliveredToClient { get; private set; }

    /// <summary>Called after every step, e.g. to let the application read and write.</summary>
    public Action? OnStep { get; set; }

    /// <summary>Runs until <paramref name="condition"/> holds or virtual time passes <paramref name="timeout"/> µs; returns whether it held.</summary>
    public bool RunUntil(Func<bool> condition, long timeout = 60_000_000, int maxSteps = 2_000_000)
    {
        long end = Now + timeout;
        for (int step = 0; step < maxSteps; step++)
        {
            Flush();
            OnStep?.Invoke();
            Flush();
            if (condition()) return true;
            long next = NextEventTime();
            if (next == long.MaxValue || next > end)
            {
                Now = Math.Max(Now, Math.Min(end, next));
                return condition();
            }
            Now = Math.Max(Now, next);
            DeliverDue();
            FireTimers();
        }
        throw new InvalidOperationException("simulation did not settle within the step bound");
    }

    /// <summary>Runs for <paramref name="duration"/> µs of virtual time.</summary>
    public void RunFor(long duration)
    {
        long end = Now + duration;
        RunUntil(() => Now >= end, duration + 1);
    }

    private long NextEventTime()
    {
        long t = long.MaxValue;
        if (_inFlight.TryPeek(out _, out var p)) t = p.Time;
        t = Math.Min(t, ClientCore.NextTimeout);
        if (Server.Core is not null) t = Math.Min(t, Server.Core.NextTimeout);
        return t;
    }

    private void DeliverDue()
    {
        while (_inFlight.TryPeek(out var item, out var p) && p.Time <= Now)
        {
            _inFlight.Dequeue();
            if (item.ToServer)
            {
                if (Server.Core is null)
                {
                    if (!TryCreateServer(item.Data)) continue;
                }
                DeliveredToServer++;
                Server.Core!.ReceiveDatagram(item.Data, Now);
            }
            else
            {
                DeliveredToClient++;
                ClientCore.ReceiveDatagram(item.Data, Now);
            }
        }
    }

    private bool TryCreateServer(byte[] datagram)
    {
        if (datagram.Length < 1200 || (datagram[0] & 0xF0) != 0xC0) return false;
        int dcidLength = datagram[5];
        var dcid = new ConnectionId(datagram.AsSpan(6, dcidLength));
        int scidLength = datagram[6 + dcidLength];
        var scid = new ConnectionId(datagram.AsSpan(7 + dcidLength, scidLength));
        Server.Core = QuicConnectionCore.CreateServer(_serverSettings, _serverRandom, Now, dcid, scid);
        Server.Core.Events = Server;
        return true;
    }

    private void FireTimers()
    {
        if (ClientCore.NextTimeout <= Now) ClientCore.OnTimeout(Now);
        if (Server.Core is not null && Server.Core.NextTimeout <= Now) Server.Core.OnTimeout(Now);
    }

    /// <summary>Collects every datagram both sides want to send now.</summary>
    public void Flush()
    {
        for (int round = 0; round < 10000; round++)
        {
            bool any = Send(ClientCore, toServer: true);
            if (Server.Core is not null) any |= Send(Server.Core, toServer: false);
            if (!any) return;
        }
    }

    private bool Send(QuicConnectionCore core, bool toServer)
    {
        int n = core.WriteDatagram(_sendBuffer, Now);
        if (n == 0) return false;
        var data = _sendBuffer.AsSpan(0, n).ToArray();
        var peer = toServer ? Client : Server;
        if (peer.TerminatedTime is not null) peer.DatagramsSentAfterTermination++;
        int index = toServer ? SentToServer++ : SentToClient++;
        var link = toServer ? ToServer : ToClient;
        if (Drop?.Invoke(toServer, index, data) == true) return true;
        if (link.LossRate > 0 && _random.NextDouble() < link.LossRate) return true;
        long delay = link.Delay;
        if (link.ReorderRate > 0 && _random.NextDouble() < link.ReorderRate) delay += (long)(_random.NextDouble() * link.ReorderDelay);
        _inFlight.Enqueue((toServer, data), (Now + delay, _seq++));
        return true;
    }

    /// <summary>Puts a datagram on the wire now, as if <paramref name="toServer"/>'s peer had sent it.</summary>
    public void Inject(bool toServer, byte[] datagram) => _inFlight.Enqueue((toServer, datagram), (Now, _seq++));

    /// <summary>Default settings for simulated connections (a pinned self-signed certificate).</summary>
    public static (ConnectionSettings Client, ConnectionSettings Server) DefaultSettings(Func<ConnectionSettings, ConnectionSettings>? client = null, Func<ConnectionSettings, ConnectionSettings>? server = null)
    {
        var cert = Tls.TlsTestCertificates.Ecdsa;
        var c = new ConnectionSettings
        {
            ClientTls = new TlsClientOptions
            {
                ServerName = "localhost",
                ApplicationProtocols = ["test"],
                PinnedCertificateSha256 = [System.Security.Cryptography.SHA256.HashData(cert.RawData)],
            },
        };
        var s = new ConnectionSettings
        {
            ServerTls = new TlsServerOptions { Certificate = cert, ApplicationProtocols = ["test"] },
        };
        return (client?.Invoke(c) ?? c, server?.Invoke(s) ?? s);
    }
}
