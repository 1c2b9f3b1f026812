using System;
using System.Threading;
using System.Threading.Tasks;
using Grpc.Core;
using Grpc.Net.Client;
using UnityEngine;
using VRPerception.Core;
using VRPerception.Transport;
using V1 = VRPerception.V1;

namespace VRPerception.Unity
{
    /// <summary>
    /// The connection to a vrperception server: owns the gRPC channel, runs
    /// the protocol handshake, survives scene loads and runs callbacks from
    /// network threads on the main thread.
    /// </summary>
    /// <remarks>
    /// One instance per app: a second one destroys itself. Other components
    /// find it through <see cref="Instance"/> and wait for
    /// <see cref="WhenConnectedAsync"/> before opening streams.
    /// </remarks>
    [DisallowMultipleComponent]
    [AddComponentMenu("VRPerception/Perception Client")]
    public sealed class PerceptionClient : MonoBehaviour
    {
        /// <summary>Package version sent in the handshake.</summary>
        public const string ClientVersion = "0.1.0";
        public const string ClientName = "vrperception-unity";

        [Tooltip("http://HOST:PORT for HTTP/2 over plain TCP, https://HOST:PORT for TLS.")]
        [SerializeField] private string serverAddress = ChannelSettings.DefaultAddress;

        [Tooltip("PEM root certificates of a private CA that signed the server's TLS certificate (https only).")]
        [SerializeField] private TextAsset rootCertificates;

        [Tooltip("Largest gRPC message in bytes; raise it for frames above 16 MiB.")]
        [SerializeField] private int maxMessageBytes = ChannelSettings.DefaultMaxMessageBytes;

        [SerializeField] private bool connectOnStart = true;

        [Tooltip("Deadline of one handshake attempt, in seconds.")]
        [SerializeField] private float handshakeTimeoutSeconds = 5f;

        [Tooltip("First and largest delay between connection attempts, in seconds.")]
        [SerializeField] private float initialRetryDelaySeconds = 0.5f;

        [SerializeField] private float maxRetryDelaySeconds = 30f;

        [Tooltip("Callbacks run per frame at most; 0 runs all that are queued.")]
        [SerializeField] private int maxCallbacksPerFrame;

        [Tooltip("Invoked on the main thread after a successful handshake.")]
        public HandshakeEvent Connected = new HandshakeEvent();

        [Tooltip("Invoked on the main thread with the reason when the client gives up connecting.")]
        public StringEvent ConnectionFailed = new StringEvent();

        private readonly CallbackQueue callbacks = new CallbackQueue();
        private readonly CancellationTokenSource shutdown = new CancellationTokenSource();
        // Continuations run on the thread pool, not inline in the main-thread callback that completes it.
        private readonly TaskCompletionSource<V1.HandshakeResponse> connected =
            new TaskCompletionSource<V1.HandshakeResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        private GrpcChannel channel;
        private Task connecting;
        private bool isShutDown;

        /// <summary>The live client, or null before Awake and after it is destroyed.</summary>
        public static PerceptionClient Instance { get; private set; }

        /// <summary>The channel, or null before <see cref="Connect"/>.</summary>
        public GrpcChannel Channel
        {
            get { return channel; }
        }

        /// <summary>The server's handshake response, or null until connected.</summary>
        public V1.HandshakeResponse ServerInfo { get; private set; }

        public bool IsConnected
        {
            get { return ServerInfo != null; }
        }

        /// <summary>Cancelled when the client shuts down; streams pass it to their calls.</summary>
        public CancellationToken ShutdownToken
        {
            get { return shutdown.Token; }
        }

        /// <summary>Address the next <see cref="Connect"/> uses; set it before connecting.</summary>
        public string ServerAddress
        {
            get { return serverAddress; }
            set { serverAddress = value; }
        }

        /// <summary>Completes with the handshake response, or faults when connecting fails for good.</summary>
        public Task<V1.HandshakeResponse> WhenConnectedAsync()
        {
            return connected.Task;
        }

        /// <summary>Tells whether the connected server offers <paramref name="capability"/>.</summary>
        public bool HasCapability(V1.Capability capability)
        {
            return ServerInfo != null && ServerInfo.Capabilities.Contains(capability);
        }

        /// <summary>Runs <paramref name="callback"/> on the main thread during the next Update. Safe from any thread.</summary>
        public void Post(Action callback)
        {
            callbacks.Post(callback);
        }

        /// <summary>Creates the channel and starts the handshake, retrying with backoff; does nothing when already started.</summary>
        public void Connect()
        {
            if (connecting != null || isShutDown)
            {
                return;
            }
            var settings = new ChannelSettings
            {
                Address = serverAddress,
                RootCertificatesPem = rootCertificates != null ? rootCertificates.text : "",
                MaxMessageBytes = maxMessageBytes,
            };
            try
            {
                channel = ChannelFactory.Create(settings);
            }
            catch (ArgumentException error)
            {
                Fail(error.Message);
                return;
            }

            var backoff = new ReconnectBackoff(initialRetryDelaySeconds, Mathf.Max(initialRetryDelaySeconds, maxRetryDelaySeconds));
            var token = shutdown.Token;
            Debug.LogFormat("VRPerception: connecting to {0}", serverAddress);
            connecting = Task.Run(() => HandshakeLoopAsync(backoff, token));
        }

        private async Task HandshakeLoopAsync(ReconnectBackoff backoff, CancellationToken token)
        {
            var client = new V1.HandshakeService.HandshakeServiceClient(channel);
            var request = new V1.HandshakeRequest
            {
                ProtocolVersion = ProtocolVersion.Client,
                ClientName = ClientName,
                ClientVersion = ClientVersion,
            };
            while (!token.IsCancellationRequested)
            {
                try
                {
                    var deadline = DateTime.UtcNow.AddSeconds(handshakeTimeoutSeconds);
                    var response = await client.HandshakeAsync(request, null, deadline, token).ResponseAsync.ConfigureAwait(false);
                    OnHandshake(response);
                    return;
                }
                catch (RpcException error)
                {
                    if (token.IsCancellationRequested)
                    {
                        return;
                    }
                    double delay;
                    var code = ProtoConversions.ToRpcStatusCode(error.StatusCode);
                    if (!ReconnectBackoff.IsRetryable(code) || !backoff.TryNextDelay(out delay))
                    {
                        Fail(string.Format("handshake with {0} failed: {1} ({2})", serverAddress, error.Status.Detail, error.StatusCode));
                        return;
                    }
                    Debug.LogWarningFormat(
                        "VRPerception: handshake with {0} failed ({1}: {2}); retrying in {3:F1} s",
                        serverAddress, error.StatusCode, error.Status.Detail, delay);
                    await DelayAsync(delay, token).ConfigureAwait(false);
                }
            }
        }

        private void OnHandshake(V1.HandshakeResponse response)
        {
            string incompatible = ProtocolVersion.CheckServer(response.ProtocolMajor, response.ProtocolVersion);
            if (incompatible != null)
            {
                Fail(incompatible);
                return;
            }
            Post(() =>
            {
                ServerInfo = response;
                Debug.LogFormat(
                    "VRPerception: connected to {0}, server {1}, protocol {2}",
                    serverAddress, response.ServerVersion, response.ProtocolVersion);
                connected.TrySetResult(response);
                Connected.Invoke(response);
            });
        }

        private void Fail(string reason)
        {
            Post(() =>
            {
                Debug.LogError("VRPerception: " + reason);
                connected.TrySetException(new InvalidOperationException(reason));
                ConnectionFailed.Invoke(reason);
            });
        }

        private static async Task DelayAsync(double seconds, CancellationToken token)
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(seconds), token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Shutting down; the loop checks the token.
            }
        }

        private void Awake()
        {
            if (Instance != null && Instance != this)
            {
                Debug.LogWarningFormat(
                    "VRPerception: a PerceptionClient already exists on '{0}'; destroying the one on '{1}'",
                    Instance.name, name);
                Destroy(gameObject);
                return;
            }
            Instance = this;
            callbacks.ErrorHandler = Debug.LogException;
            // DontDestroyOnLoad works only on root objects.
            transform.SetParent(null);
            DontDestroyOnLoad(gameObject);
        }

        private void Start()
        {
            if (connectOnStart)
            {
                Connect();
            }
        }

        private void Update()
        {
            callbacks.Drain(maxCallbacksPerFrame);
        }

        private void OnApplicationQuit()
        {
            Shutdown();
        }

        private void OnDestroy()
        {
            Shutdown();
        }

        /// <summary>Cancels every call and disposes the channel; the client cannot reconnect afterwards.</summary>
        public void Shutdown()
        {
            if (isShutDown)
            {
                return;
            }
            isShutDown = true;
            shutdown.Cancel();
            connected.TrySetCanceled();
            if (channel != null)
            {
                channel.Dispose();
                channel = null;
                Debug.Log("VRPerception: channel closed");
            }
            if (Instance == this)
            {
                Instance = null;
            }
        }
    }
}
