"""Ground-side Starling: the ground client, the hardware-in-the-loop rig and board deployment."""
