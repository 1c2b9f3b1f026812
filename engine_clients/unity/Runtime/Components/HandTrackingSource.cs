using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using UnityEngine;
using VRPerception.Core;
using VRPerception.Transport;
using V1 = VRPerception.V1;

namespace VRPerception.Unity
{
    /// <summary>
    /// Streams camera frames to the server's TrackHands call and raises the
    /// results, hand events and per-hand pinch and gesture callbacks on the main thread.
    /// </summary>
    /// <remarks>
    /// Only the newest frame is ever in flight: a frame is captured only when the
    /// previous result has arrived, so latency stays at one round trip.
    /// </remarks>
    [AddComponentMenu("VRPerception/Hand Tracking Source")]
    public sealed class HandTrackingSource : StreamingComponent
    {
        [SerializeField] private CameraFeed feed = new CameraFeed();

        [Header("Hand tracking")]
        [Tooltip("Hands to track, 1 to the server's max_hands limit.")]
        [Range(1, 4)]
        [SerializeField] private int maxHands = 2;

        [Range(0.05f, 1f)]
        [SerializeField] private float minDetectionConfidence = 0.5f;

        [Range(0.05f, 1f)]
        [SerializeField] private float minTrackingConfidence = 0.5f;

        [SerializeField] private V1.ModelComplexity modelComplexity = V1.ModelComplexity.Full;

        [Tooltip("Classify gestures and raise gesture events.")]
        [SerializeField] private bool enableGestures = true;

        [Tooltip("Frames sent per second at most; 0 sends as fast as results return.")]
        [SerializeField] private float maxFramesPerSecond = 30f;

        [Header("Results (main thread)")]
        public HandsResultEvent HandsUpdated = new HandsResultEvent();
        public HandEvent HandFound = new HandEvent();
        public HandEvent HandLost = new HandEvent();
        public GestureEvent GestureBegan = new GestureEvent();
        public GestureEvent GestureEnded = new GestureEvent();
        public HandEvent PinchBegan = new HandEvent();
        public HandEvent PinchEnded = new HandEvent();

        private readonly FrameStreamer<V1.TrackHandsRequest, V1.HandsResult> streamer =
            new FrameStreamer<V1.TrackHandsRequest, V1.HandsResult>();
        private readonly GestureEventTracker tracker = new GestureEventTracker();
        private readonly Stopwatch clock = Stopwatch.StartNew();
        private ulong nextFrameId = 1;
        private float lastSendTime = float.NegativeInfinity;

        /// <summary>Pinch and gesture state per tracking id, updated on the main thread.</summary>
        public GestureEventTracker Tracker
        {
            get { return tracker; }
        }

        /// <summary>The camera feed, for previews (PreviewTexture) and its orientation.</summary>
        public CameraFeed Feed
        {
            get { return feed; }
        }

        /// <summary>The newest result, or null before the first one.</summary>
        public V1.HandsResult LatestResult { get; private set; }

        protected override string StreamName
        {
            get { return "TrackHands"; }
        }

        private void Awake()
        {
            tracker.HandFound += (id, side) => HandFound.Invoke(id, side);
            tracker.HandLost += (id, side) => HandLost.Invoke(id, side);
            tracker.GestureBegan += (id, side, type, gestureName) => GestureBegan.Invoke(id, side, gestureName);
            tracker.GestureEnded += (id, side, type, gestureName) => GestureEnded.Invoke(id, side, gestureName);
            tracker.PinchBegan += (id, side) => PinchBegan.Invoke(id, side);
            tracker.PinchEnded += (id, side) => PinchEnded.Invoke(id, side);
        }

        protected override void OnEnable()
        {
            try
            {
                feed.Start();
            }
            catch (InvalidOperationException error)
            {
                UnityEngine.Debug.LogError("VRPerception: hand tracking disabled: " + error.Message);
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

        protected override void OnStreamStopped()
        {
            // Hands are no longer tracked, so end every pinch and gesture.
            tracker.EndAll();
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
            streamer.Offer(new V1.TrackHandsRequest { Frame = image });
        }

        protected override Task RunStreamAsync(PerceptionClient connectedClient, CancellationToken token)
        {
            var hands = new V1.HandTracking.HandTrackingClient(connectedClient.Channel);
            var config = new V1.TrackHandsRequest
            {
                Config = new V1.HandsConfig
                {
                    MaxHands = (uint)maxHands,
                    MinDetectionConfidence = minDetectionConfidence,
                    MinTrackingConfidence = minTrackingConfidence,
                    ModelComplexity = modelComplexity,
                    DisableGestures = !enableGestures,
                },
            };
            return streamer.RunAsync(
                t => hands.TrackHands(null, null, t),
                config,
                result =>
                {
                    ResetBackoff();
                    connectedClient.Post(() => OnResult(result));
                },
                token);
        }

        private void OnResult(V1.HandsResult result)
        {
            if (!isActiveAndEnabled)
            {
                return;
            }
            LatestResult = result;
            HandsUpdated.Invoke(result);
            foreach (var handEvent in result.Events)
            {
                tracker.Apply(ProtoConversions.ToHandEvent(handEvent));
            }
        }
    }
}
