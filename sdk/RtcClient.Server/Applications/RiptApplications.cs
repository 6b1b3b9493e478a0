using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RtcClient.Server.Calls;
using RtcClient.Server.Media;

namespace RtcClient.Server.Applications;

/// <summary>
/// Applications that live in the server's process and take or place calls like any client, with no network
/// hop for their legs (docs/protocol.md section 6.8): an IVR, an echo test, a conference bridge. Each one is a
/// <see cref="CallClient"/> whose requests go straight to the call registry and whose media joins the relay
/// in memory, so it has the whole client API (audio sources and sinks, DTMF, hold, statistics, placing calls).
/// </summary>
/// <example>
/// <code>
/// await server.RegisterApplicationAsync("echo", EchoApplication.HandleAsync);
/// </code>
/// </example>
public sealed class RiptApplications : IAsyncDisposable
{
    private readonly CallRegistry _registry;
    private readonly MediaRelay _relay;
    private readonly ILoggerFactory? _loggers;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentBag<(CallClient Client, Task Loop)> _applications = [];

    /// <summary>Creates the application host over a server's registry and relay.</summary>
    public RiptApplications(CallRegistry registry, MediaRelay relay, ILoggerFactory? loggers = null)
    {
        _registry = registry;
        _relay = relay;
        _loggers = loggers;
        _logger = loggers?.CreateLogger<RiptApplications>() ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>
    /// Registers an application that takes calls to <paramref name="name"/> (a handler name, as a client would
    /// register it) and returns its endpoint, with which it can also place calls. Each incoming call runs
    /// <paramref name="onCall"/> on its own task; without one, the application takes calls from
    /// <see cref="CallClient.IncomingCallsAsync"/> itself. <paramref name="configure"/> may set the advertisement,
    /// trunk group, E2E keys or timeouts (the server URI, token and transports are set here).
    /// </summary>
    public async Task<CallClient> RegisterAsync(string name, ApplicationCallHandler? onCall = null, Action<RtcClientOptions>? configure = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var options = new RtcClientOptions
        {
            ServerUri = _registry.InstanceUri ?? new Uri("https://localhost/"), Token = "in-process", Name = name, LoggerFactory = _loggers,
        };
        configure?.Invoke(options);
        var media = new LoopbackMediaTransport(_registry, _relay);
        options.MediaTransport = media;
        // An id no token can map to: only this application may act on its legs.
        var clientId = $"app:{name}:{Guid.NewGuid():N}";
        var client = await CallClient.ConnectAsync(options, new InProcessSignaling(_registry, clientId, options.RequestTimeout), media, cancellationToken).ConfigureAwait(false);
        var loop = onCall is null ? Task.CompletedTask : Task.Run(() => ServeAsync(client, onCall, _stop.Token), CancellationToken.None);
        _applications.Add((client, loop));
        _logger.LogInformation("in-process application '{Name}' registered", name);
        return client;
    }

    private async Task ServeAsync(CallClient client, ApplicationCallHandler onCall, CancellationToken cancellationToken)
    {
        var running = new ConcurrentDictionary<Task, byte>();
        try
        {
            await foreach (var call in client.IncomingCallsAsync(cancellationToken).ConfigureAwait(false))
            {
                var task = Task.Run(() => HandleAsync(call, onCall, cancellationToken), CancellationToken.None);
                running[task] = 0;
                _ = task.ContinueWith(t => running.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        await Task.WhenAll(running.Keys).ConfigureAwait(false);
    }

    private async Task HandleAsync(Call call, ApplicationCallHandler onCall, CancellationToken cancellationToken)
    {
        try
        {
            await onCall(call, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            // One failing call must not stop the application: it is logged and the call hung up.
            _logger.LogError(e, "in-process application '{Name}' failed on call {Call}", call.To, call.Id);
        }
        finally
        {
            try
            {
                await call.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is RtcException or OperationCanceledException)
            {
                _logger.LogDebug(e, "hanging up {Call} failed", call.Id);
            }
        }
    }

    /// <summary>Stops every application: their calls are hung up and their handlers unregistered.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        // Running handlers end first and hang up their own calls; then the endpoints go.
        foreach (var (_, loop) in _applications)
        {
            try { await loop.ConfigureAwait(false); } catch (OperationCanceledException) { }
        }
        foreach (var (client, _) in _applications)
            await client.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
    }
}
