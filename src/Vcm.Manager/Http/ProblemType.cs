namespace Vcm.Manager.Http;

/// <summary>
/// One kind of problem the API answers with: its <c>type</c> URI is the manager's URL + <see cref="Path"/>, and a GET
/// there describes it (<see cref="ProblemPages"/>).
/// </summary>
/// <param name="Slug">The last segment of the type URI: lower-case words joined by '-'.</param>
/// <param name="Status">The HTTP status it comes with.</param>
/// <param name="Title">The problem's title: the same for every occurrence of the type.</param>
/// <param name="Description">What it means and what to do about it, for the page at the type URI.</param>
public sealed record ProblemType(string Slug, int Status, string Title, string Description)
{
    public string Path => "/problems/" + Slug;
}
