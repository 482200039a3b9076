/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * tts.c — voice prompts through espeak-ng (fork/exec), only where an audio
 * device exists. A new prompt stops the one still speaking (our own child,
 * by pid). Never blocks the UI: children are reaped without waiting.
 */
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "app.h"

static pid_t speaking;

bool tts_audio_available(void)
{
	if (access("/usr/bin/espeak-ng", X_OK))
		return false;
	const char *rt = getenv("XDG_RUNTIME_DIR");
	char p[512];
	struct stat st;
	if (getenv("PULSE_SERVER"))
		return true;
	if (rt) {
		snprintf(p, sizeof p, "%s/pulse/native", rt);
		if (!stat(p, &st))
			return true;
		snprintf(p, sizeof p, "%s/pipewire-0", rt);
		if (!stat(p, &st))
			return true;
	}
	/* an ALSA playback device */
	DIR *d = opendir("/dev/snd");
	if (!d)
		return false;
	struct dirent *e;
	bool found = false;
	while ((e = readdir(d)))
		if (!strncmp(e->d_name, "pcmC", 4) && e->d_name[strlen(e->d_name) - 1] == 'p')
			found = true;
	closedir(d);
	return found;
}

void tts_stop(void)
{
	if (speaking > 0) {
		kill(speaking, SIGTERM);
		waitpid(speaking, NULL, 0);
		speaking = 0;
	}
}

void tts_say(const char *text)
{
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	tts_stop();
	pid_t pid = fork();
	if (pid == 0) {
		int devnull = open("/dev/null", O_RDWR);
		if (devnull >= 0) {
			dup2(devnull, 1);
			dup2(devnull, 2);
		}
		execl("/usr/bin/espeak-ng", "espeak-ng", "-v", "cmn", "-s", "150", "--", text, (char *)NULL);
		_exit(127);
	}
	if (pid > 0)
		speaking = pid;
}
