using System.Collections.Generic;
using NUnit.Framework;

namespace VRPerception.Core.Tests
{
    [TestFixture]
    public class GestureEventTrackerTests
    {
        private const int ThumbUp = 6;
        private const int OpenPalm = 3;

        private GestureEventTracker tracker;
        private List<string> log;

        [SetUp]
        public void SetUp()
        {
            tracker = new GestureEventTracker();
            log = new List<string>();
            tracker.HandFound += (id, side) => log.Add("found " + id + " " + side);
            tracker.HandLost += (id, side) => log.Add("lost " + id);
            tracker.GestureBegan += (id, side, type, name) => log.Add("began " + id + " " + name);
            tracker.GestureEnded += (id, side, type, name) => log.Add("ended " + id + " " + name);
            tracker.PinchBegan += (id, side) => log.Add("pinch " + id);
            tracker.PinchEnded += (id, side) => log.Add("release " + id);
        }

        private void Apply(HandEventKind kind, uint id, int gesture = 0, string name = "")
        {
            tracker.Apply(new HandEventData(kind, id, HandSide.Right, gesture, name));
        }

        [Test]
        public void PinchBeginsAndEnds()
        {
            Apply(HandEventKind.HandFound, 1);
            Apply(HandEventKind.PinchStarted, 1);
            Assert.IsTrue(tracker.IsPinching(1), "pinching after PINCH_STARTED");

            Apply(HandEventKind.PinchEnded, 1);

            Assert.IsFalse(tracker.IsPinching(1), "released after PINCH_ENDED");
            CollectionAssert.AreEqual(new[] { "found 1 Right", "pinch 1", "release 1" }, log);
        }

        [Test]
        public void RepeatedBeganIsIgnored()
        {
            Apply(HandEventKind.PinchStarted, 2);
            Apply(HandEventKind.PinchStarted, 2);
            Apply(HandEventKind.GestureBegan, 2, ThumbUp, "thumb_up");
            Apply(HandEventKind.GestureBegan, 2, ThumbUp, "thumb_up");

            CollectionAssert.AreEqual(new[] { "found 2 Right", "pinch 2", "began 2 thumb_up" }, log);
        }

        [Test]
        public void EndedWithoutBeganIsIgnored()
        {
            Apply(HandEventKind.PinchEnded, 3);
            Apply(HandEventKind.GestureEnded, 3, ThumbUp, "thumb_up");

            Assert.IsEmpty(log);
            Assert.IsFalse(tracker.IsTracked(3));
        }

        [Test]
        public void NewGestureEndsPreviousOne()
        {
            Apply(HandEventKind.GestureBegan, 4, ThumbUp, "thumb_up");
            Apply(HandEventKind.GestureBegan, 4, OpenPalm, "open_palm");

            Assert.AreEqual("open_palm", tracker.ActiveGesture(4));
            CollectionAssert.AreEqual(
                new[] { "found 4 Right", "began 4 thumb_up", "ended 4 thumb_up", "began 4 open_palm" }, log);
        }

        [Test]
        public void StaleGestureEndedIsIgnored()
        {
            Apply(HandEventKind.GestureBegan, 5, OpenPalm, "open_palm");
            Apply(HandEventKind.GestureEnded, 5, ThumbUp, "thumb_up");

            Assert.AreEqual("open_palm", tracker.ActiveGesture(5));
        }

        [Test]
        public void HandLostEndsActiveState()
        {
            Apply(HandEventKind.HandFound, 6);
            Apply(HandEventKind.PinchStarted, 6);
            Apply(HandEventKind.GestureBegan, 6, ThumbUp, "thumb_up");

            Apply(HandEventKind.HandLost, 6);

            Assert.IsFalse(tracker.IsTracked(6));
            Assert.IsNull(tracker.ActiveGesture(6));
            CollectionAssert.AreEqual(
                new[] { "found 6 Right", "pinch 6", "began 6 thumb_up", "release 6", "ended 6 thumb_up", "lost 6" }, log);
        }

        [Test]
        public void HandsAreTrackedSeparately()
        {
            Apply(HandEventKind.PinchStarted, 7);
            Apply(HandEventKind.PinchStarted, 8);
            Apply(HandEventKind.PinchEnded, 7);

            Assert.IsFalse(tracker.IsPinching(7), "hand 7");
            Assert.IsTrue(tracker.IsPinching(8), "hand 8");
            CollectionAssert.AreEquivalent(new uint[] { 7, 8 }, tracker.TrackedIds);
        }

        [Test]
        public void EndAllBalancesEveryHand()
        {
            Apply(HandEventKind.PinchStarted, 9);
            Apply(HandEventKind.GestureBegan, 10, OpenPalm, "open_palm");
            log.Clear();

            tracker.EndAll();

            CollectionAssert.AreEquivalent(new[] { "release 9", "lost 9", "ended 10 open_palm", "lost 10" }, log);
            Assert.IsEmpty(tracker.TrackedIds);
        }

        [Test]
        public void GestureEndedWithoutNameMatches()
        {
            Apply(HandEventKind.GestureBegan, 11, ThumbUp, "thumb_up");

            Apply(HandEventKind.GestureEnded, 11, 0, "");

            Assert.IsNull(tracker.ActiveGesture(11));
        }

        [Test]
        public void UnknownKindIsIgnored()
        {
            tracker.Apply(new HandEventData((HandEventKind)42, 12, HandSide.Left));

            Assert.IsEmpty(log);
        }
    }
}
