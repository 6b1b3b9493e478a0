using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using RtcClient.Server.Calls;

namespace RtcClient.Server.Hosting;

/// <summary>The one timer that checks every call's timeouts (no timer per call).</summary>
internal sealed class CallTimerService(CallRegistry registry, IOptions<RiptServerOptions> options) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.TimerResolution);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
                registry.Tick();
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
