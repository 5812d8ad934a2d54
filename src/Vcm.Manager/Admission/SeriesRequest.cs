using Vcm.Domain.Series;
using Vcm.Drivers.Images;

namespace Vcm.Manager.Admission;

/// <summary>A series read and checked (<see cref="ClusterAdmission.ParseSeriesAsync"/>), to admit whole — or, with allowPartial, the occurrences that fit.</summary>
public sealed record SeriesRequest(SeriesPlan Plan, LayerPlan? Packages, ClusterOwner? Owner, string RequestJson);
