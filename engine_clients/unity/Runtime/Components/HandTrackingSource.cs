using System.Threading;
using Grpc.Core;
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
    [AddComponentMenu("VRPerception/Hand Tracking Source")]
    public sealed class HandTrackingSource : FrameSourceComponent<V1.TrackHandsRequest, V1.HandsResult>
    {
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

        [Header("Results (main thread)")]
        public HandsResultEvent HandsUpdated = new HandsResultEvent();
        public HandEvent HandFound = new HandEvent();
        public HandEvent HandLost = new HandEvent();
        public GestureEvent GestureBegan = new GestureEvent();
        public GestureEvent GestureEnded = new GestureEvent();
        public HandEvent PinchBegan = new HandEvent();
        public HandEvent PinchEnded = new HandEvent();

        private readonly GestureEventTracker tracker = new GestureEventTracker();

        /// <summary>Pinch and gesture state per tracking id, updated on the main thread.</summary>
        public GestureEventTracker Tracker
        {
            get { return tracker; }
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

        protected override void OnStreamStopped()
        {
            // Hands are no longer tracked, so end every pinch and gesture.
            tracker.EndAll();
        }

        protected override V1.TrackHandsRequest CreateConfigRequest()
        {
            return new V1.TrackHandsRequest
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
        }

        protected override V1.TrackHandsRequest CreateFrameRequest(V1.ImageFrame image, PackedFrame frame)
        {
            return new V1.TrackHandsRequest { Frame = image };
        }

        protected override AsyncDuplexStreamingCall<V1.TrackHandsRequest, V1.HandsResult> OpenCall(
            ChannelBase channel, CancellationToken token)
        {
            return new V1.HandTracking.HandTrackingClient(channel).TrackHands(null, null, token);
        }

        protected override void OnResult(V1.HandsResult result)
        {
            LatestResult = result;
            HandsUpdated.Invoke(result);
            foreach (var handEvent in result.Events)
            {
                tracker.Apply(ProtoConversions.ToHandEvent(handEvent));
            }
        }
    }
}
