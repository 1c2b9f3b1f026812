using System;
using Cysharp.Net.Http;
using Grpc.Net.Client;

namespace VRPerception.Transport
{
    /// <summary>Where and how to reach a vrperception server.</summary>
    [Serializable]
    public sealed class ChannelSettings
    {
        /// <summary>Loopback on the server's default port (50051); "https://" selects TLS.</summary>
        public const string DefaultAddress = "http://127.0.0.1:50051";

        /// <summary>Largest gRPC message sent or received; frames over it fail with RESOURCE_EXHAUSTED.</summary>
        public const int DefaultMaxMessageBytes = 16 * 1024 * 1024;

        /// <summary>Server URI, "http://host:port" for HTTP/2 over plain TCP or "https://host:port" for TLS.</summary>
        public string Address = DefaultAddress;

        /// <summary>
        /// PEM root certificates that sign the server's TLS certificate, for
        /// servers with a private CA; empty uses the Mozilla roots built into
        /// YetAnotherHttpHandler. Ignored for http:// addresses.
        /// </summary>
        public string RootCertificatesPem = "";

        public int MaxMessageBytes = DefaultMaxMessageBytes;
    }

    /// <summary>
    /// Creates gRPC channels on Grpc.Net.Client with Cysharp's
    /// YetAnotherHttpHandler, which gives Unity the HTTP/2 that gRPC needs.
    /// </summary>
    public static class ChannelFactory
    {
        /// <summary>Validates <paramref name="settings"/> and creates a channel; no connection is made until the first call.</summary>
        /// <exception cref="ArgumentException">When the address is not an absolute http:// or https:// URI
        /// or the message size is not positive.</exception>
        public static GrpcChannel Create(ChannelSettings settings)
        {
            if (settings == null)
            {
                throw new ArgumentNullException("settings");
            }
            Uri address;
            if (!Uri.TryCreate(settings.Address, UriKind.Absolute, out address)
                || (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps))
            {
                throw new ArgumentException(string.Format(
                    "server address '{0}' is invalid; use http://HOST:PORT (plain TCP) or https://HOST:PORT (TLS), " +
                    "for example {1}", settings.Address, ChannelSettings.DefaultAddress));
            }
            if (settings.MaxMessageBytes <= 0)
            {
                throw new ArgumentException(string.Format(
                    "max message size {0} bytes is invalid; it must be > 0", settings.MaxMessageBytes));
            }

            // gRPC needs HTTP/2. Without Http2Only a plain-TCP connection would
            // start with HTTP/1.1 and fail; over TLS, ALPN picks h2 either way.
            var handler = new YetAnotherHttpHandler { Http2Only = true };
            if (address.Scheme == Uri.UriSchemeHttps && !string.IsNullOrEmpty(settings.RootCertificatesPem))
            {
                handler.RootCertificates = settings.RootCertificatesPem;
            }

            var options = new GrpcChannelOptions
            {
                HttpHandler = handler,
                DisposeHttpClient = true,
                MaxReceiveMessageSize = settings.MaxMessageBytes,
                MaxSendMessageSize = settings.MaxMessageBytes,
            };
            return GrpcChannel.ForAddress(address, options);
        }
    }
}
