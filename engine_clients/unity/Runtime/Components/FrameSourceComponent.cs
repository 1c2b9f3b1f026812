using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using Grpc.Core;
using UnityEngine;
using VRPerception.Core;
using VRPerception.Transport;
using V1 = VRPerception.V1;

namespace VRPerception.Unity
{
    /// <summary>
    /// Base of the components that stream camera frames (TrackHands,
    /// TrackObjects): captures from a <see cref="CameraFeed"/> in Update and
    /// keeps only the newest frame in flight.
    /// </summary>
    /// <remarks>
    /// A frame is captured only when the previous result has arrived, so
    /// latency stays at one round trip and no pixels are read for frames
    /// that would be replaced.
    /// </remarks>
    public abstract class FrameSourceComponent<TRequest, TResponse> : StreamingComponent
        where TRequest : class
    {
        [SerializeField] private CameraFeed feed = new CameraFeed();

        [Tooltip("Frames sent per second at most; 0 sends as fast as results return.")]
        [SerializeField] private float maxFramesPerSecond = 30f;

        private readonly FrameStreamer<TRequest, TResponse> streamer = new FrameStreamer<TRequest, TResponse>();
        private readonly Stopwatch clock = Stopwatch.StartNew();
        private ulong nextFrameId = 1;
        private float lastSendTime = float.NegativeInfinity;

        /// <summary>The camera feed, for previews (PreviewTexture) and its orientation.</summary>
        public CameraFeed Feed
        {
            get { return feed; }
        }

        /// <summary>Builds the first message of the stream; runs on a worker thread, so it must not call Unity APIs.</summary>
        protected abstract TRequest CreateConfigRequest();

        /// <summary>Wraps a frame in a request; runs on the main thread.</summary>
        protected abstract TRequest CreateFrameRequest(V1.ImageFrame image, PackedFrame frame);

        /// <summary>Opens the streaming call on <paramref name="channel"/>.</summary>
        protected abstract AsyncDuplexStreamingCall<TRequest, TResponse> OpenCall(ChannelBase channel, CancellationToken token);

        /// <summary>Handles one result on the main thread while the component is enabled.</summary>
        protected abstract void OnResult(TResponse result);

        protected override void OnEnable()
        {
            try
            {
                feed.Start();
            }
            catch (InvalidOperationException error)
            {
                UnityEngine.Debug.LogErrorFormat("VRPerception: {0} disabled: {1}", StreamName, error.Message);
                enabled = false;
                return;
            }
            base.OnEnable();
        }

        protected override void OnDisable()
        {
            base.OnDisable();
            feed.Stop();
        }

        private void Update()
        {
            if (!streamer.IsReadyForFrame)
            {
                return;
            }
            if (maxFramesPerSecond > 0 && Time.unscaledTime - lastSendTime < 1f / maxFramesPerSecond)
            {
                return;
            }
            PackedFrame frame;
            if (!feed.TryCapture(out frame))
            {
                return;
            }
            lastSendTime = Time.unscaledTime;
            long captureTimeUs = clock.ElapsedTicks * 1000000L / Stopwatch.Frequency;
            var image = ProtoConversions.ToImageFrame(frame, nextFrameId++, captureTimeUs);
            streamer.Offer(CreateFrameRequest(image, frame));
        }

        protected sealed override Task RunStreamAsync(PerceptionClient connectedClient, CancellationToken token)
        {
            var channel = connectedClient.Channel;
            return streamer.RunAsync(
                t => new GrpcDuplexStream<TRequest, TResponse>(OpenCall(channel, t)),
                CreateConfigRequest(),
                result =>
                {
                    ResetBackoff();
                    connectedClient.Post(() =>
                    {
                        if (isActiveAndEnabled)
                        {
                            OnResult(result);
                        }
                    });
                },
                token);
        }
    }
}
