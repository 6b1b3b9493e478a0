using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RtcClient.Server.Auth;
using RtcClient.Server.Calls;

namespace RtcClient.Server.Hosting;

/// <summary>Registers the call server's services.</summary>
public static class RiptServiceCollectionExtensions
{
    /// <summary>
    /// Adds the call registry, its timer, and the "RiptBearer" authentication scheme with
    /// <paramref name="tokens"/> validating bearer tokens. Map the endpoints with MapRipt.
    /// </summary>
    public static IServiceCollection AddRipt(this IServiceCollection services, IRiptTokenValidator tokens, Action<RiptServerOptions>? configure = null)
    {
        services.AddOptions<RiptServerOptions>().Configure(o => configure?.Invoke(o));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(tokens);
        services.AddSingleton(sp => new CallRegistry(sp.GetRequiredService<IOptions<RiptServerOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(), sp.GetService<ILogger<CallRegistry>>()));
        services.TryAddSingleton<Identity.IStirCertificateResolver>(_ => new Identity.HttpStirCertificateResolver());
        services.AddSingleton(sp => new Identity.StirVerifier(sp.GetRequiredService<Identity.IStirCertificateResolver>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new Media.MediaRelay(sp.GetRequiredService<CallRegistry>(), sp.GetRequiredService<TimeProvider>(), sp.GetService<ILogger<Media.MediaRelay>>()));
        services.AddSingleton(sp => new Applications.RiptApplications(sp.GetRequiredService<CallRegistry>(), sp.GetRequiredService<Media.MediaRelay>(), sp.GetService<ILoggerFactory>()));
        services.AddHostedService<CallTimerService>();
        services.AddAuthentication(RiptBearerHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, RiptBearerHandler>(RiptBearerHandler.SchemeName, null);
        services.AddAuthorization();
        return services;
    }
}
