using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.DependencyInjection;

namespace RtcClient.Http3.AspNetCore;

/// <summary>Registers <see cref="RtcHttp3Server"/> as the application's server.</summary>
public static class RtcHttp3WebHostBuilderExtensions
{
    /// <summary>Serves the application over our HTTP/3 (e.g. <c>builder.WebHost.UseRtcHttp3(o => ...)</c>).</summary>
    public static IWebHostBuilder UseRtcHttp3(this IWebHostBuilder builder, Action<Http3ServerOptions> configure)
        => builder.ConfigureServices(services =>
        {
            services.Configure(configure);
            services.AddSingleton<IServer, RtcHttp3Server>();
        });
}
