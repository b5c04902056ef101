// The .NET half of the monorepo: calls the Go service's /hello endpoint when given its address.
using System.Net.Http.Json;

if (args.Length == 0)
{
    Console.WriteLine("usage: Hello <svc-address>, e.g. Hello http://127.0.0.1:8090");
    return 0;
}

using var http = new HttpClient { BaseAddress = new Uri(args[0]) };
var reply = await http.GetFromJsonAsync<Dictionary<string, string>>("/hello?name=dotnet");
Console.WriteLine(reply?["message"]);
return 0;
