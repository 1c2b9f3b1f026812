using System;
using UnityEngine.Events;
using VRPerception.Core;
using V1 = VRPerception.V1;

namespace VRPerception.Unity
{
    // Named UnityEvent types of the components' results, so scripts and the
    // inspector refer to one type per kind of result.

    [Serializable]
    public sealed class StringEvent : UnityEvent<string>
    {
    }

    [Serializable]
    public sealed class HandshakeEvent : UnityEvent<V1.HandshakeResponse>
    {
    }

    [Serializable]
    public sealed class HandsResultEvent : UnityEvent<V1.HandsResult>
    {
    }

    /// <summary>Tracking id and handedness of a hand.</summary>
    [Serializable]
    public sealed class HandEvent : UnityEvent<uint, HandSide>
    {
    }

    /// <summary>Tracking id, handedness and gesture name ("thumb_up" or a user-trained class).</summary>
    [Serializable]
    public sealed class GestureEvent : UnityEvent<uint, HandSide, string>
    {
    }

    [Serializable]
    public sealed class ObjectsResultEvent : UnityEvent<V1.ObjectsResult>
    {
    }

    [Serializable]
    public sealed class CommandResultEvent : UnityEvent<V1.CommandResult>
    {
    }

    /// <summary>Transcript and the server's rejection reason.</summary>
    [Serializable]
    public sealed class CommandRejectedEvent : UnityEvent<string, string>
    {
    }
}
