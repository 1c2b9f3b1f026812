using System;
using System.Collections.Generic;

namespace VRPerception.Core
{
    /// <summary>Hand event kinds; the values equal the protocol's HandEventType numbers.</summary>
    public enum HandEventKind
    {
        Unspecified = 0,
        HandFound = 1,
        HandLost = 2,
        GestureBegan = 3,
        GestureEnded = 4,
        PinchStarted = 5,
        PinchEnded = 6,
    }

    /// <summary>The person's own hand; the values equal the protocol's Handedness numbers.</summary>
    public enum HandSide
    {
        Unspecified = 0,
        Left = 1,
        Right = 2,
    }

    /// <summary>One server HandEvent in plain data form.</summary>
    public struct HandEventData
    {
        public HandEventKind Kind;
        public uint TrackingId;
        public HandSide Handedness;
        /// <summary>Protocol GestureType number of the gesture, for gesture events.</summary>
        public int GestureType;
        /// <summary>Gesture class name ("thumb_up" or a user-trained name), for gesture events.</summary>
        public string GestureName;

        public HandEventData(HandEventKind kind, uint trackingId, HandSide handedness, int gestureType = 0, string gestureName = "")
        {
            Kind = kind;
            TrackingId = trackingId;
            Handedness = handedness;
            GestureType = gestureType;
            GestureName = gestureName ?? "";
        }
    }

    /// <summary>
    /// Tracks pinch and gesture state per tracking id from the HandEvents of a
    /// TrackHands stream and raises balanced began/ended callbacks.
    /// </summary>
    /// <remarks>
    /// Every began callback is followed by exactly one ended callback for the
    /// same tracking id: a repeated began is ignored, an ended without a began
    /// is ignored, a new gesture ends the previous one first, and a lost hand
    /// or <see cref="EndAll"/> (call it when the stream ends) ends whatever
    /// is still active. Not thread-safe; call it from one thread.
    /// </remarks>
    public sealed class GestureEventTracker
    {
        private sealed class HandState
        {
            public HandSide Handedness;
            public bool Pinching;
            public bool GestureActive;
            public int GestureType;
            public string GestureName = "";
        }

        private readonly Dictionary<uint, HandState> hands = new Dictionary<uint, HandState>();

        /// <summary>Raised when a tracking id appears.</summary>
        public event Action<uint, HandSide> HandFound;
        /// <summary>Raised when a tracking id disappears, after its pinch and gesture have ended.</summary>
        public event Action<uint, HandSide> HandLost;
        /// <summary>Raised with the tracking id, handedness, gesture type number and gesture name.</summary>
        public event Action<uint, HandSide, int, string> GestureBegan;
        public event Action<uint, HandSide, int, string> GestureEnded;
        public event Action<uint, HandSide> PinchBegan;
        public event Action<uint, HandSide> PinchEnded;

        /// <summary>Tracking ids of the hands that are currently visible.</summary>
        public ICollection<uint> TrackedIds
        {
            get { return hands.Keys; }
        }

        public bool IsTracked(uint trackingId)
        {
            return hands.ContainsKey(trackingId);
        }

        public bool IsPinching(uint trackingId)
        {
            HandState state;
            return hands.TryGetValue(trackingId, out state) && state.Pinching;
        }

        /// <summary>Returns the active gesture's name, or null when the hand shows none or is not tracked.</summary>
        public string ActiveGesture(uint trackingId)
        {
            HandState state;
            if (hands.TryGetValue(trackingId, out state) && state.GestureActive)
            {
                return state.GestureName;
            }
            return null;
        }

        /// <summary>Applies one event from a HandsResult, in the order the server sent them.</summary>
        public void Apply(HandEventData e)
        {
            switch (e.Kind)
            {
                case HandEventKind.HandFound:
                    GetOrAdd(e);
                    break;
                case HandEventKind.HandLost:
                    Remove(e.TrackingId);
                    break;
                case HandEventKind.GestureBegan:
                    BeginGesture(GetOrAdd(e), e);
                    break;
                case HandEventKind.GestureEnded:
                    EndGesture(e.TrackingId, e.GestureType, e.GestureName);
                    break;
                case HandEventKind.PinchStarted:
                    BeginPinch(GetOrAdd(e), e.TrackingId);
                    break;
                case HandEventKind.PinchEnded:
                    EndPinch(e.TrackingId);
                    break;
                default:
                    // Unknown kinds come from a newer server minor version; skip them.
                    break;
            }
        }

        /// <summary>Ends every active pinch and gesture and removes all hands, raising the ended and lost callbacks.</summary>
        public void EndAll()
        {
            var ids = new List<uint>(hands.Keys);
            foreach (var id in ids)
            {
                Remove(id);
            }
        }

        private HandState GetOrAdd(HandEventData e)
        {
            HandState state;
            if (hands.TryGetValue(e.TrackingId, out state))
            {
                if (e.Handedness != HandSide.Unspecified)
                {
                    state.Handedness = e.Handedness;
                }
                return state;
            }

            state = new HandState { Handedness = e.Handedness };
            hands.Add(e.TrackingId, state);
            var handler = HandFound;
            if (handler != null)
            {
                handler(e.TrackingId, state.Handedness);
            }
            return state;
        }

        private void BeginGesture(HandState state, HandEventData e)
        {
            if (state.GestureActive)
            {
                if (state.GestureType == e.GestureType && state.GestureName == e.GestureName)
                {
                    return;
                }
                EndGesture(e.TrackingId, state.GestureType, state.GestureName);
            }

            state.GestureActive = true;
            state.GestureType = e.GestureType;
            state.GestureName = e.GestureName ?? "";
            var handler = GestureBegan;
            if (handler != null)
            {
                handler(e.TrackingId, state.Handedness, state.GestureType, state.GestureName);
            }
        }

        private void EndGesture(uint trackingId, int gestureType, string gestureName)
        {
            HandState state;
            if (!hands.TryGetValue(trackingId, out state) || !state.GestureActive)
            {
                return;
            }
            // An ended event for another gesture than the active one is stale.
            // An unset type (0) or an empty name matches any gesture.
            bool otherType = gestureType != 0 && gestureType != state.GestureType;
            bool otherName = !string.IsNullOrEmpty(gestureName) && gestureName != state.GestureName;
            if (otherType || otherName)
            {
                return;
            }

            state.GestureActive = false;
            var handler = GestureEnded;
            if (handler != null)
            {
                handler(trackingId, state.Handedness, state.GestureType, state.GestureName);
            }
        }

        private void BeginPinch(HandState state, uint trackingId)
        {
            if (state.Pinching)
            {
                return;
            }
            state.Pinching = true;
            var handler = PinchBegan;
            if (handler != null)
            {
                handler(trackingId, state.Handedness);
            }
        }

        private void EndPinch(uint trackingId)
        {
            HandState state;
            if (!hands.TryGetValue(trackingId, out state) || !state.Pinching)
            {
                return;
            }
            state.Pinching = false;
            var handler = PinchEnded;
            if (handler != null)
            {
                handler(trackingId, state.Handedness);
            }
        }

        private void Remove(uint trackingId)
        {
            HandState state;
            if (!hands.TryGetValue(trackingId, out state))
            {
                return;
            }
            EndPinch(trackingId);
            if (state.GestureActive)
            {
                EndGesture(trackingId, state.GestureType, state.GestureName);
            }
            hands.Remove(trackingId);
            var handler = HandLost;
            if (handler != null)
            {
                handler(trackingId, state.Handedness);
            }
        }
    }
}
