using System;
using System.Threading;
using System.Threading.Tasks;
using UnityEngine;
using VRPerception.Core;
using VRPerception.Transport;

namespace VRPerception.Unity
{
    /// <summary>
    /// Base of the components that keep one streaming call open while they
    /// are enabled: waits for the <see cref="PerceptionClient"/>, reopens the
    /// stream with backoff after retryable errors, and stops on errors that a
    /// retry cannot fix.
    /// </summary>
    public abstract class StreamingComponent : MonoBehaviour
    {
        [Tooltip("Client to use; empty uses PerceptionClient.Instance.")]
        [SerializeField] protected PerceptionClient client;

        [Tooltip("First and largest delay before reopening a failed stream, in seconds.")]
        [SerializeField] private float initialRetryDelaySeconds = 0.5f;

        [SerializeField] private float maxRetryDelaySeconds = 10f;

        [Tooltip("Invoked on the main thread with the reason when the stream stops for good.")]
        public StringEvent StreamFailed = new StringEvent();

        private CancellationTokenSource streaming;
        private ReconnectBackoff backoff;

        /// <summary>True while the stream task runs (including waits between attempts).</summary>
        public bool IsStreaming { get; private set; }

        /// <summary>Name used in log messages, for example "TrackHands".</summary>
        protected abstract string StreamName { get; }

        /// <summary>Opens one stream and returns when it ends; runs on a worker thread.</summary>
        protected abstract Task RunStreamAsync(PerceptionClient connectedClient, CancellationToken token);

        /// <summary>Runs on the main thread after the stream stopped, by failure or because the component was disabled.</summary>
        protected virtual void OnStreamStopped()
        {
        }

        /// <summary>Marks the current stream as healthy, so the next failure retries after the shortest delay.</summary>
        protected void ResetBackoff()
        {
            var current = backoff;
            if (current != null)
            {
                current.Reset();
            }
        }

        protected virtual void OnEnable()
        {
            if (client == null)
            {
                client = PerceptionClient.Instance;
            }
            if (client == null)
            {
                Debug.LogErrorFormat("VRPerception: {0} on '{1}' found no PerceptionClient; add one to the scene", StreamName, name);
                enabled = false;
                return;
            }
            streaming = CancellationTokenSource.CreateLinkedTokenSource(client.ShutdownToken);
            backoff = new ReconnectBackoff(initialRetryDelaySeconds, Mathf.Max(initialRetryDelaySeconds, maxRetryDelaySeconds));
            IsStreaming = true;
            var token = streaming.Token;
            var connectedClient = client;
            Task.Run(() => StreamLoopAsync(connectedClient, token));
        }

        protected virtual void OnDisable()
        {
            if (streaming != null)
            {
                streaming.Cancel();
                streaming.Dispose();
                streaming = null;
            }
            IsStreaming = false;
            OnStreamStopped();
        }

        private async Task StreamLoopAsync(PerceptionClient connectedClient, CancellationToken token)
        {
            try
            {
                await connectedClient.WhenConnectedAsync().ConfigureAwait(false);
            }
            catch (Exception)
            {
                // PerceptionClient reports why it could not connect.
                connectedClient.Post(() => IsStreaming = false);
                return;
            }

            Debug.LogFormat("VRPerception: opening {0}", StreamName);
            await StreamRetryLoop.RunAsync(
                t => RunStreamAsync(connectedClient, t),
                backoff,
                GrpcErrors.Classify,
                (failure, delay) => Debug.LogWarningFormat(
                    "VRPerception: {0} ended ({1}); reopening in {2:F1} s", StreamName, failure, delay),
                failure => connectedClient.Post(() => OnFatal(failure)),
                token).ConfigureAwait(false);
        }

        private void OnFatal(StreamFailure failure)
        {
            string reason = string.Format("{0} stopped: {1} ({2})", StreamName, failure.Detail, failure.Code);
            Debug.LogError("VRPerception: " + reason);
            IsStreaming = false;
            OnStreamStopped();
            StreamFailed.Invoke(reason);
        }
    }
}
