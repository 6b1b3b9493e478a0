Console.Error.WriteLine("rtc: the call CLI is not built yet");
return 2;
